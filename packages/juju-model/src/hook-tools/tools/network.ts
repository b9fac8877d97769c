/** network-get (the pod address) and unit-get. */
import { relationFlag, type ToolDef } from '../call.js';
import { struct } from '../format.js';
import { checkEmpty } from '../flags.js';
import { fail, usage } from '../tool-error.js';

const all = ['smart', 'json', 'yaml'] as const;

export const networkTools: Record<string, ToolDef> = {
  'network-get': {
    flags: [
      relationFlag,
      { names: ['primary-address'], kind: 'bool' },
      { names: ['bind-address'], kind: 'bool' },
      { names: ['ingress-address'], kind: 'bool' },
      { names: ['egress-subnets'], kind: 'bool' },
    ],
    format: { allowed: [...all], default: 'smart' },
    run(call) {
      const [binding, ...rest] = call.positionals;
      if (binding === undefined) throw usage('no arguments specified');
      if (binding === '') throw usage('no binding name specified');
      const keys = (['bind-address', 'ingress-address', 'egress-subnets'] as const).filter((k) => call.bool(k));
      checkEmpty(rest);
      call.relationId();
      const meta = call.model.apps[call.ctx.app]!.charm.meta;
      // juju-info is the implicit endpoint every charm has
      const bindings = [
        'juju-info',
        ...[meta.provides, meta.requires, meta.peers, meta['extra-bindings']].flatMap((b) => Object.keys(b ?? {})),
      ];
      if (!bindings.includes(binding)) throw fail(`no network config found for binding "${binding}"`);
      const addr = call.unit.address;
      const egress = [`${addr}/32`];
      if (call.bool('primary-address')) {
        if (keys.length > 0) throw fail('--primary-address must be the only flag specified');
        return addr;
      }
      if (keys.length === 0) {
        return struct({
          'bind-addresses': [
            struct({
              'mac-address': '',
              'interface-name': 'eth0',
              addresses: [struct({ hostname: '', value: addr, cidr: `${addr}/32` })],
            }),
          ],
          'egress-subnets': egress,
          'ingress-addresses': [addr],
        });
      }
      const values: Record<string, unknown> = {
        'bind-address': addr,
        'ingress-address': addr,
        'egress-subnets': egress,
      };
      if (keys.length === 1) return values[keys[0]!];
      return Object.fromEntries(keys.map((k) => [k, values[k]]));
    },
  },
  'unit-get': {
    format: { allowed: [...all], default: 'smart' },
    run(call) {
      const [key, ...rest] = call.positionals;
      if (key === undefined) throw usage('no setting specified');
      checkEmpty(rest);
      if (key !== 'private-address' && key !== 'public-address') throw usage(`unknown setting "${key}"`);
      return call.unit.address;
    },
  },
};
