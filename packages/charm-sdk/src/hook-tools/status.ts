import { z } from 'zod';
import { callJson, callVoid } from './call.js';
import type { HookToolRunner } from './runner.js';

/** Statuses a charm may set. */
export const SettableStatus = z.enum(['maintenance', 'blocked', 'waiting', 'active']);
export type SettableStatus = z.infer<typeof SettableStatus>;

/** A status as status-get prints it (Juju may also report unknown, error, terminated). */
export const StatusInfo = z.object({
  status: z.string(),
  message: z.string().default(''),
  'status-data': z.record(z.string(), z.unknown()).default({}),
});
export type StatusInfo = z.infer<typeof StatusInfo>;

/** The application status with its units' statuses. */
export const AppStatusInfo = z.object({
  'application-status': StatusInfo.extend({ units: z.record(z.string(), StatusInfo).default({}) }),
});
export type AppStatusInfo = z.infer<typeof AppStatusInfo>;

/** Sets the unit's (or, leader only, the application's) status; immediate. */
export function statusSet(
  runner: HookToolRunner,
  status: SettableStatus,
  message = '',
  options: { application?: boolean } = {},
): Promise<void> {
  return callVoid(runner, 'status-set', [
    `--application=${options.application ? 'True' : 'False'}`,
    status,
    '--',
    message,
  ]);
}

/** The unit's status: `status-get --include-data --format=json --application=false`. */
export function statusGet(runner: HookToolRunner): Promise<StatusInfo> {
  return callJson(runner, 'status-get', ['--include-data', '--format=json', '--application=false'], StatusInfo);
}

/** The application's status (leader only): `status-get --include-data --format=json --application=true`. */
export function statusGetApp(runner: HookToolRunner): Promise<AppStatusInfo> {
  return callJson(runner, 'status-get', ['--include-data', '--format=json', '--application=true'], AppStatusInfo);
}

/** Sets the workload version shown by `juju status`; immediate. */
export function applicationVersionSet(runner: HookToolRunner, version: string): Promise<void> {
  return callVoid(runner, 'application-version-set', ['--', version]);
}
