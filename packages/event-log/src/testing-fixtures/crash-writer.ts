/**
 * Child process of the crash test: appends ticks with several concurrent appenders and writes
 * `ack <seq> <n>` to stdout after each append resolves (so every printed seq is durable).
 * Usage: node crash-writer.mjs <dir> <run-id> <concurrency>
 */
import { writeSync } from 'node:fs';
import { openEventLog } from '../index.js';
import { testSchema, totals } from './test-schema.js';

const [dir, runId, concurrency] = process.argv.slice(2);
if (dir === undefined || runId === undefined) throw new Error('usage: crash-writer <dir> <run-id> [concurrency]');

const log = await openEventLog({
  dir,
  schema: testSchema,
  projection: totals,
  snapshotEvery: 40,
  maxSegmentBytes: 4096,
});
writeSync(1, `ready ${log.lastSeq} ${JSON.stringify(log.recovery)}\n`);
let next = 0;
async function appender(): Promise<never> {
  for (;;) {
    const n = next++;
    const { seq } = await log.append({ type: 'tick', payload: { n, note: runId } });
    writeSync(1, `ack ${seq} ${n}\n`);
  }
}
await Promise.all(Array.from({ length: Number(concurrency ?? 1) }, appender));
