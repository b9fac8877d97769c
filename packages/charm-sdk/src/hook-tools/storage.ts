import { z } from 'zod';
import { callJson, callVoid } from './call.js';
import type { HookToolRunner } from './runner.js';

/** A storage instance's attributes. */
export const StorageInfo = z.object({ kind: z.string(), location: z.string() }).loose();
export type StorageInfo = z.infer<typeof StorageInfo>;

/** Storage ids (`database/0`), optionally of one storage name: `storage-list --format=json [name]`. */
export function storageList(runner: HookToolRunner, name?: string): Promise<string[]> {
  const args = ['--format=json', ...(name === undefined ? [] : [name])];
  return callJson(
    runner,
    'storage-list',
    args,
    z
      .array(z.string())
      .nullable()
      .transform((v) => v ?? []),
  );
}

/** Attributes of a storage instance: `storage-get --format=json -s <id>` (the hook's own without id). */
export function storageGet(runner: HookToolRunner, id?: string): Promise<StorageInfo> {
  const args = ['--format=json', ...(id === undefined ? [] : ['-s', id])];
  return callJson(runner, 'storage-get', args, StorageInfo);
}

/** Requests more storage instances (buffered): `storage-add <name>=<count> ...`. */
export function storageAdd(runner: HookToolRunner, counts: Record<string, number>): Promise<void> {
  return callVoid(
    runner,
    'storage-add',
    Object.entries(counts).map(([name, n]) => `${name}=${n}`),
  );
}
