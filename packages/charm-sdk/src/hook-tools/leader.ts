import { z } from 'zod';
import { callJson, callVoid } from './call.js';
import type { HookToolRunner } from './runner.js';

/** Whether this unit leads its application: `is-leader --format=json`. */
export function isLeader(runner: HookToolRunner): Promise<boolean> {
  return callJson(runner, 'is-leader', ['--format=json'], z.boolean());
}

const Settings = z
  .record(z.string(), z.string())
  .nullable()
  .transform((v) => v ?? {});

/** Deprecated leader settings: `leader-get --format=json [key]`. */
export function leaderGet(runner: HookToolRunner): Promise<Record<string, string>>;
export function leaderGet(runner: HookToolRunner, key: string): Promise<string | null>;
export function leaderGet(runner: HookToolRunner, key?: string): Promise<Record<string, string> | string | null> {
  if (key !== undefined) return callJson(runner, 'leader-get', ['--format=json', key], z.string().nullable());
  return callJson(runner, 'leader-get', ['--format=json'], Settings);
}

/** Deprecated leader settings write (leader only, immediate): `leader-set k=v ...`; `""` deletes. */
export function leaderSet(runner: HookToolRunner, settings: Record<string, string>): Promise<void> {
  return callVoid(
    runner,
    'leader-set',
    Object.entries(settings).map(([k, v]) => `${k}=${v}`),
  );
}
