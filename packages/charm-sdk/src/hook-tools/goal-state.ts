import { z } from 'zod';
import { registerSecret } from '../logging/secret-registry.js';
import { callJson } from './call.js';
import type { HookToolRunner } from './runner.js';

const Goal = z.object({ status: z.string(), since: z.string().optional() }).loose();

/** What Juju means the model to become. */
export const GoalState = z.object({
  units: z.record(z.string(), Goal).default({}),
  relations: z.record(z.string(), z.record(z.string(), Goal)).default({}),
});
export type GoalState = z.infer<typeof GoalState>;

/** `goal-state --format=json`. */
export function goalState(runner: HookToolRunner): Promise<GoalState> {
  return callJson(runner, 'goal-state', ['--format=json'], GoalState);
}

/** The cloud spec (needs `juju trust`). */
export const CloudSpec = z
  .object({
    type: z.string(),
    name: z.string(),
    region: z.string().optional(),
    endpoint: z.string().optional(),
    'identity-endpoint': z.string().optional(),
    'storage-endpoint': z.string().optional(),
    credential: z
      .object({ 'auth-type': z.string(), attrs: z.record(z.string(), z.string()).default({}) })
      .loose()
      .optional(),
    cacertificates: z.array(z.string()).default([]),
    'skip-tls-verify': z.boolean().optional(),
    'is-controller-cloud': z.boolean().optional(),
  })
  .loose();
export type CloudSpec = z.infer<typeof CloudSpec>;

/** `credential-get --format=json`; credential attributes are registered for redaction. */
export async function credentialGet(runner: HookToolRunner): Promise<CloudSpec> {
  const spec = await callJson(runner, 'credential-get', ['--format=json'], CloudSpec);
  for (const v of Object.values(spec.credential?.attrs ?? {})) registerSecret(v);
  return spec;
}
