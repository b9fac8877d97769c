/** Every scenario in turn on one shared 3+3 model; each leaves the cluster at rest for the next. */
import { Cluster } from './cluster.js';
import { newResult, type ScenarioResult } from './result.js';
import { partitionScenario } from './scenarios/partition.js';
import { diskFullScenario } from './scenarios/disk-full.js';
import { corruptLogScenario } from './scenarios/corrupt-log.js';
import { storageLostScenario } from './scenarios/storage-lost.js';
import { hookKillScenario } from './scenarios/hook-kill.js';
import { badInputScenario } from './scenarios/bad-input.js';
import { hostileRelationScenario } from './scenarios/hostile-relation.js';
import { badCertsScenario } from './scenarios/bad-certs.js';
import { secretScanScenario } from './scenarios/secret-scan.js';
import { sentinelLossScenario } from './scenarios/sentinel-loss.js';
import { killPrimaryPod, sigkillRedisServer, writeFaultScenario } from './scenarios/write-faults.js';

/** Iteration counts of one run. */
export interface SuitePlan {
  killPrimary: number;
  sigkillRedis: number;
  storageLost: number;
}

export const FULL: SuitePlan = {
  killPrimary: Number(process.env['CHAOS_KILLS'] ?? 20),
  sigkillRedis: Number(process.env['CHAOS_SIGKILLS'] ?? 5),
  storageLost: Number(process.env['CHAOS_STORAGE_LOSSES'] ?? 3),
};
export const SHORT: SuitePlan = { killPrimary: 1, sigkillRedis: 1, storageLost: 1 };

/** One named scenario step: runs it, turning a throw into a failed result with the reason. */
export async function step(name: string, fn: () => Promise<ScenarioResult>): Promise<ScenarioResult> {
  try {
    return await fn();
  } catch (e) {
    const r = newResult(name);
    r.notes.push(`aborted: ${(e as Error).message}`);
    return r;
  }
}

/** The scenarios in order, as steps over a cluster. */
export function scenarios(plan: SuitePlan): Array<[string, (c: Cluster) => Promise<ScenarioResult>]> {
  return [
    ['kill-primary-pod', (c) => writeFaultScenario(c, 'kill-primary-pod', killPrimaryPod, plan.killPrimary)],
    [
      'sigkill-redis-server',
      (c) => writeFaultScenario(c, 'sigkill-redis-server', sigkillRedisServer, plan.sigkillRedis),
    ],
    ['primary-storage-lost', (c) => storageLostScenario(c, plan.storageLost)],
    ['sentinel-loss', (c) => sentinelLossScenario(c)],
    ['partition-primary', (c) => partitionScenario(c)],
    ['hook-sigkill', (c) => hookKillScenario(c)],
    ['event-log-disk-full', (c) => diskFullScenario(c)],
    ['corrupt-log', (c) => corruptLogScenario(c)],
    ['hostile-relation', (c) => hostileRelationScenario(c)],
    ['bad-input', (c) => badInputScenario(c)],
    ['bad-certs', (c) => badCertsScenario(c)],
    // last: it reads every surface the scenarios before it left behind
    ['secret-scan', (c) => secretScanScenario(c)],
  ];
}
