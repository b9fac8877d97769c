import { z } from 'zod';
import { callJson } from './call.js';
import type { HookToolRunner } from './runner.js';

/** network-get's output; Juju omits empty lists. */
export const NetworkInfo = z
  .object({
    'bind-addresses': z
      .array(
        z
          .object({
            'mac-address': z.string().default(''),
            'interface-name': z.string().default(''),
            addresses: z
              .array(
                z.object({ hostname: z.string().default(''), value: z.string(), cidr: z.string().default('') }).loose(),
              )
              .default([]),
          })
          .loose(),
      )
      .default([]),
    'egress-subnets': z.array(z.string()).default([]),
    'ingress-addresses': z.array(z.string()).default([]),
  })
  .loose();
export type NetworkInfo = z.infer<typeof NetworkInfo>;

/** Network config of a binding: `network-get --format=json [-r <id>] <binding>`. */
export function networkGet(
  runner: HookToolRunner,
  binding: string,
  options: { relationId?: number } = {},
): Promise<NetworkInfo> {
  const args = [
    '--format=json',
    ...(options.relationId === undefined ? [] : ['-r', String(options.relationId)]),
    binding,
  ];
  return callJson(runner, 'network-get', args, NetworkInfo);
}
