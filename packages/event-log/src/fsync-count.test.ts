import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { nodeFileSystem, openEventLog, openEventLogReader, type FileSystem } from './index.js';
import { tempDir, testSchema, totals } from './testing-fixtures/test-schema.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

/** The real filesystem, recording every fsync and fdatasync with the file it was called on. */
function countingFs(): { fs: FileSystem; syncs: string[] } {
  const syncs: string[] = [];
  const fs: FileSystem = {
    ...nodeFileSystem,
    async open(file, flags, mode) {
      const handle = await nodeFileSystem.open(file, flags, mode);
      const name = path.relative(dir, file) || '.';
      return new Proxy(handle, {
        get(target, key) {
          if (key === 'sync' || key === 'datasync') {
            return async () => {
              syncs.push(`${key} ${name}`);
              await target[key]();
            };
          }
          const value = Reflect.get(target, key, target) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
  };
  return { fs, syncs };
}

const hook = async (fs: FileSystem, n: number) => {
  const log = await openEventLog({ dir: path.join(dir, 'log'), schema: testSchema, fs, projection: totals });
  await log.append({ type: 'tick', payload: { n } });
  await log.fold(totals);
  await log.close();
};

test('a hook on an existing log (open, append, fold, close) syncs once: the append', async () => {
  await hook(nodeFileSystem, 1);
  const { fs, syncs } = countingFs();
  await hook(fs, 2);
  expect(syncs).toEqual([expect.stringMatching(/^datasync log\/segment-\d+\.jsonl$/)]);
  const reader = await openEventLogReader({ dir: path.join(dir, 'log'), schema: testSchema });
  const seen: number[] = [];
  for await (const e of reader.read()) seen.push(e.seq);
  expect(seen).toEqual([1, 2]);
});

test('the first hook syncs the new directory entries before its record is acknowledged', async () => {
  const { fs, syncs } = countingFs();
  await hook(fs, 1);
  // the new segment in the log directory, the log directory in its parent, then the record
  expect(syncs).toContain('sync log');
  expect(syncs).toContain('sync .');
  expect(syncs.at(-1)).toMatch(/^datasync log\//);
});

test('an empty log left by a hook that died before its append syncs its parent again', async () => {
  const first = await openEventLog({ dir: path.join(dir, 'log'), schema: testSchema });
  await first.close();
  const { fs, syncs } = countingFs();
  await hook(fs, 1);
  expect(syncs.slice(0, 1)).toEqual(['sync .']);
});
