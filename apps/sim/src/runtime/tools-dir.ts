import { chmod, copyFile, mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every hook-tool name Juju puts on a K8s hook's PATH (reference section 2). Each is a symlink to
 * jujuc; the server answers the ones it does not implement with `bad request: bad command: <name>`.
 */
export const HOOK_TOOL_NAMES = [
  'action-fail', 'action-get', 'action-log', 'action-set',
  'application-version-set', 'close-port', 'config-get', 'credential-get', 'goal-state', 'is-leader',
  'juju-log', 'juju-reboot', 'leader-get', 'leader-set', 'network-get', 'open-port', 'opened-ports',
  'pod-spec-set', 'k8s-spec-set', 'k8s-raw-set', 'add-metric', 'unit-get',
  'payload-register', 'payload-status-set', 'payload-unregister',
  'relation-get', 'relation-ids', 'relation-list', 'relation-model-get', 'relation-set',
  'resource-get',
  'secret-add', 'secret-get', 'secret-grant', 'secret-ids', 'secret-info-get', 'secret-remove', 'secret-revoke', 'secret-set',
  'state-delete', 'state-get', 'state-set',
  'status-get', 'status-set', 'storage-add', 'storage-get', 'storage-list',
] as const;

/**
 * Fills `dir` with a copy of jujuc and one relative symlink per tool name, so the directory works
 * wherever it is mounted (the charm view mounts it at /var/lib/juju/tools).
 */
export async function prepareToolsDir(dir: string, jujuc: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await copyFile(jujuc, join(dir, 'jujuc'));
  await chmod(join(dir, 'jujuc'), 0o755);
  await Promise.all(HOOK_TOOL_NAMES.map((name) => symlink('jujuc', join(dir, name))));
}
