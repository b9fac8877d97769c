/** open-port, close-port (buffered) and opened-ports. */
import type { ToolCall, ToolDef } from '../call.js';
import { checkEmpty } from '../flags.js';
import { usage } from '../tool-error.js';

const all = ['smart', 'json', 'yaml'] as const;

/** Normalises `<port>[/<proto>]`, `<from>-<to>[/<proto>]` or `icmp` to Juju's `6379/tcp` form. */
export function parsePortRange(arg: string): string {
  if (arg === 'icmp') return 'icmp';
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|TCP|UDP))?$/.exec(arg);
  const bad = () => usage(`expected <port>[/<protocol>] or <from>-<to>[/<protocol>] or icmp; got "${arg}"`);
  if (!m) throw bad();
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 1 || to > 65535 || from > to) throw bad();
  const proto = (m[3] ?? 'tcp').toLowerCase();
  return from === to ? `${from}/${proto}` : `${from}-${to}/${proto}`;
}

function portTool(op: 'open' | 'close'): ToolDef {
  return {
    flags: [
      { names: ['endpoints'], kind: 'string' },
      { names: ['format'], kind: 'string' },
    ],
    run(call: ToolCall) {
      const [arg, ...rest] = call.positionals;
      if (arg === undefined) throw usage('no port or range specified');
      checkEmpty(rest);
      call.ctx.pending.ports.push({ op, port: parsePortRange(arg) });
      return undefined;
    },
  };
}

export const portTools: Record<string, ToolDef> = {
  'open-port': portTool('open'),
  'close-port': portTool('close'),
  'opened-ports': {
    flags: [{ names: ['endpoints'], kind: 'bool' }],
    format: { allowed: [...all], default: 'smart' },
    run(call) {
      checkEmpty(call.positionals);
      const ports = call.ctx.base.units[call.ctx.unit]?.ports ?? [];
      return call.bool('endpoints') ? ports.map((p) => `${p} (*)`) : [...ports];
    },
  },
};
