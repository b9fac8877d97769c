/** The counting log both the event-log benches fold: one tiny event type and a counter projection. */
import { z } from 'zod';
import { defineEventSchema, defineProjection, openEventLog } from '../../packages/event-log/src/index.js';

/** One event type, `tick { n }`. */
export const schema = defineEventSchema({ tick: { schema: z.object({ n: z.number().int() }) } });

/** Counts and sums the ticks. */
export const counter = defineProjection(schema, {
  name: 'counter',
  version: 1,
  initial: { count: 0, sum: 0 },
  state: z.object({ count: z.number(), sum: z.number() }),
  reduce: (state, event) => {
    state.count++;
    state.sum += event.payload.n;
    return state;
  },
});

/**
 * Writes `events` ticks into a new log in `dir` through the public append API (batches of 10,000), with a
 * snapshot of the counter `tail` events before the end when `snapshotTail` is set.
 */
export async function buildLog(dir: string, events: number, snapshotTail?: number): Promise<void> {
  const log = await openEventLog({ dir, schema, projection: counter, snapshotEvery: 0 });
  const appendRange = async (from: number, to: number) => {
    for (let base = from; base < to; base += 10_000) {
      const batch = Math.min(10_000, to - base);
      await Promise.all(
        Array.from({ length: batch }, (_, i) => log.append({ type: 'tick', payload: { n: base + i } })),
      );
    }
  };
  try {
    const cut = snapshotTail === undefined ? events : Math.max(0, events - snapshotTail);
    await appendRange(0, cut);
    if (snapshotTail !== undefined) await log.snapshot();
    await appendRange(cut, events);
  } finally {
    await log.close();
  }
}
