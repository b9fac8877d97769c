import { z } from 'zod';

/** What every bench worker (ours, Go, ops) prints on stdout: one JSON object per task. */
export const workerResultSchema = z.object({
  task: z.string(),
  /** seq: latency samples in milliseconds per operation. */
  samples: z.record(z.string(), z.array(z.number())).optional(),
  /** conc: calls made in `seconds`. */
  calls: z.number().int().optional(),
  /** push/pull: bytes moved over all transfers in `seconds`. */
  bytes: z.number().int().optional(),
  transfers: z.number().int().optional(),
  seconds: z.number(),
  /** VmRSS once the client is loaded, before the task. */
  baseRssKiB: z.number(),
  /** VmHWM after the task. */
  peakRssKiB: z.number(),
});
export type WorkerResult = z.infer<typeof workerResultSchema>;
