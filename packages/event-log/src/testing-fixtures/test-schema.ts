import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { defineEventSchema, defineProjection, secret } from '../index.js';

/** The event schema the tests use: a counter tick, a versioned config event with a secret. */
export const testSchema = defineEventSchema({
  tick: { schema: z.object({ n: z.number().int(), note: z.string().optional() }) },
  config: {
    version: 2,
    schema: z.object({ name: z.string(), password: secret(), replicas: z.number().int() }),
    upcasters: { 1: (old: { name: string; password: unknown }) => ({ ...old, replicas: 1 }) },
  },
});

/** Sum and count of ticks, last config name. */
export interface Totals {
  count: number;
  sum: number;
  configs: number;
  lastName: string | null;
}

/** A projection over {@link testSchema}. */
export const totals = defineProjection(testSchema, {
  name: 'totals',
  version: 1,
  initial: { count: 0, sum: 0, configs: 0, lastName: null } as Totals,
  state: z.object({ count: z.number(), sum: z.number(), configs: z.number(), lastName: z.string().nullable() }),
  reduce: (state, event) => {
    if (event.type === 'tick') return { ...state, count: state.count + 1, sum: state.sum + event.payload.n };
    return { ...state, configs: state.configs + 1, lastName: event.payload.name };
  },
});

/** A fresh temporary directory, removed by the returned cleanup. */
export async function tempDir(prefix = 'event-log-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
