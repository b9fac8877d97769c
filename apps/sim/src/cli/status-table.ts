import Table from 'cli-table3';
import type { StatusJson } from '../runtime/status-schema.js';

function table(head: string[], rows: string[][]): string {
  const t = new Table({
    head,
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  t.push(...rows);
  return t
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

/** `juju status`-like tables: model, apps, units (leader marked `*`), relations. */
export function renderStatus(s: StatusJson, now = new Date()): string {
  const parts: string[] = [];
  const state = s.model.settled
    ? 'settled'
    : s.model.activity.length > 0
      ? s.model.activity[0] + (s.model.activity.length > 1 ? ` (+${s.model.activity.length - 1} more)` : '')
      : 'busy';
  parts.push(
    table(
      ['Model', 'Controller', 'Cloud/Region', 'Version', 'Timestamp', 'Activity'],
      [[s.model.name, 'charm-sim', 'local/loopback', s.model['juju-version'], now.toTimeString().slice(0, 8), state]],
    ),
  );
  const apps = Object.entries(s.applications);
  if (apps.length === 0) {
    parts.push('Model is empty.');
    return parts.join('\n\n') + '\n';
  }
  parts.push(
    table(
      ['App', 'Version', 'Status', 'Scale', 'Charm', 'Rev', 'Message'],
      apps.map(([name, a]) => [
        name,
        a['workload-version'],
        a['application-status'].current,
        String(a.scale),
        a.charm,
        String(a['charm-rev']),
        a['application-status'].message,
      ]),
    ),
  );
  const unitRows: string[][] = [];
  for (const a of apps.map(([, a]) => a)) {
    for (const [name, u] of Object.entries(a.units)) {
      const agent = u['running-hook'] ? `executing` : u['juju-status'].current;
      const message = u['running-hook']
        ? `(${u['running-hook']}) ${u['workload-status'].message}`.trim()
        : u['workload-status'].message;
      unitRows.push([
        `${name}${u.leader ? '*' : ''}`,
        u['workload-status'].current,
        agent,
        u.address,
        u['open-ports'].join(','),
        message,
      ]);
    }
  }
  parts.push(table(['Unit', 'Workload', 'Agent', 'Address', 'Ports', 'Message'], unitRows));
  if (s.relations.length > 0) {
    parts.push(
      table(
        ['Integration provider', 'Requirer', 'Interface', 'Type', 'Message'],
        s.relations.map((r) => [
          r.endpoints[0] ?? '',
          r.endpoints[1] ?? r.endpoints[0] ?? '',
          r.interface,
          r.type,
          r.life === 'alive' ? '' : r.life,
        ]),
      ),
    );
  }
  return parts.join('\n\n') + '\n';
}
