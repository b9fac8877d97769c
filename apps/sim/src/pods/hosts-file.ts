import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** One pod as the hosts file names it. */
export interface HostsEntry {
  /** Pod name, `<app>-<n>`. */
  podName: string;
  app: string;
  address: string;
}

/** The pod FQDN Kubernetes gives a StatefulSet pod behind the headless `<app>-endpoints` service. */
export function podFqdn(podName: string, app: string, model: string): string {
  return `${podName}.${app}-endpoints.${model}.svc.cluster.local`;
}

/**
 * The hosts file every pod mounts over /etc/hosts, standing in for Kubernetes DNS. Pod lines come first
 * (FQDN first, so `getfqdn()` returns it); then one line per pod for its application's Services: the
 * headless `<app>-endpoints` and `<app>` (which on Kubernetes is a ClusterIP; here it resolves to the
 * pods themselves), each with the namespace forms a pod's search path would complete.
 */
export function renderHostsFile(model: string, entries: readonly HostsEntry[]): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', '# charm-sim pods'];
  const sorted = [...entries].sort((a, b) => a.podName.localeCompare(b.podName, 'en', { numeric: true }));
  const forms = (name: string) => [
    `${name}.${model}.svc.cluster.local`,
    `${name}.${model}.svc`,
    `${name}.${model}`,
    name,
  ];
  for (const e of sorted) {
    lines.push(`${e.address}\t${forms(`${e.podName}.${e.app}-endpoints`).join(' ')} ${e.podName}`);
  }
  lines.push('# charm-sim services (<app>-endpoints and <app>, one line per pod)');
  for (const e of sorted) {
    lines.push(`${e.address}\t${[...forms(`${e.app}-endpoints`), ...forms(e.app)].join(' ')}`);
  }
  return lines.join('\n') + '\n';
}

/** Rewrites the file in place: pods bind-mount its inode, so a rename would leave them the old text. */
export async function writeInPlace(path: string, text: string): Promise<void> {
  const handle = await open(path, constants.O_RDWR | constants.O_CREAT, 0o644);
  try {
    const data = Buffer.from(text, 'utf8');
    await handle.write(data, 0, data.length, 0);
    await handle.truncate(data.length);
  } finally {
    await handle.close();
  }
}
