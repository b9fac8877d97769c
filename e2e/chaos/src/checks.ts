/** After a scenario: every acknowledged write on every unit, exactly one master at rest. */
import { REDIS_UNITS, type Cluster } from './cluster.js';
import type { ScenarioResult } from './result.js';
import type { Writer } from './writer.js';

export interface LossCheck {
  /** Acknowledged writes missing on at least one unit. */
  lost: number;
  /** Per unit, how many acknowledged writes it lacks. */
  missingByUnit: Record<string, number>;
  primary: string;
  mastersAtRest: number;
  /** The lowest and highest lost sequence numbers (null when none). */
  lostRange: [number, number] | null;
}

/** Waits for rest, then reads every acknowledged key from every unit in batches. */
export async function checkAcknowledged(
  cluster: Cluster,
  prefix: string,
  acked: readonly number[],
): Promise<LossCheck> {
  const primary = await cluster.atRest();
  const missingByUnit: Record<string, number> = {};
  const lostSeqs = new Set<number>();
  for (const unit of REDIS_UNITS) {
    missingByUnit[unit] = 0;
    await cluster.withRedis(unit, async (c) => {
      for (let i = 0; i < acked.length; i += 1000) {
        const batch = acked.slice(i, i + 1000);
        const values = await c.mget(...batch.map((s) => `${prefix}:${s}`));
        values.forEach((v, j) => {
          const seq = batch[j] as number;
          if (v !== String(seq)) {
            missingByUnit[unit] = (missingByUnit[unit] ?? 0) + 1;
            lostSeqs.add(seq);
          }
        });
      }
    });
  }
  const lostList = [...lostSeqs].sort((a, b) => a - b);
  const lostRange: [number, number] | null = lostList.length
    ? [lostList[0] as number, lostList.at(-1) as number]
    : null;
  return { lost: lostSeqs.size, missingByUnit, primary, mastersAtRest: await cluster.mastersNow(), lostRange };
}

/**
 * Stops `writer`, checks its acknowledged writes (see {@link checkAcknowledged}) and records
 * acknowledged, longest unavailability, lost and masters at rest on `r`.
 */
export async function stopAndCheck(
  cluster: Cluster,
  writer: Writer,
  prefix: string,
  r: ScenarioResult,
): Promise<LossCheck & { attempted: number }> {
  const stats = await writer.stop();
  r.acknowledged = stats.acknowledged.length;
  r.longestUnavailableMs = stats.longestUnavailableMs;
  const check = await checkAcknowledged(cluster, prefix, stats.acknowledged);
  r.lost = check.lost;
  r.primariesAtRest = check.mastersAtRest;
  return { ...check, attempted: stats.attempted };
}
