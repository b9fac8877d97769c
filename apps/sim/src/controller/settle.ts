import { nextHook, type Model } from '../model/api.js';

/** Runtime state of a pod, as the controller tracks it. */
export type PodPhase = 'starting' | 'running' | 'restarting' | 'failed' | 'terminating';

/** What the controller knows beyond the model. */
export interface RuntimeFacts {
  pods: ReadonlyMap<string, { phase: PodPhase; error?: string | undefined }>;
  /** Unit -> name of the hook or action it is running. */
  running: ReadonlyMap<string, string>;
}

/** Whether the model has settled and, when not, why (one sentence per unit). */
export interface Activity {
  settled: boolean;
  /** Things in progress. */
  busy: string[];
  /** Things that will not resolve on their own (failed hooks, failed pods). */
  errors: string[];
}

/** Settled = every pod running, no hook running or queued, every container's pebble-ready delivered. Pure. */
export function activity(model: Model, facts: RuntimeFacts): Activity {
  const busy: string[] = [];
  const errors: string[] = [];
  for (const unit of Object.values(model.units).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))) {
    const pod = facts.pods.get(unit.name);
    const running = facts.running.get(unit.name);
    if (pod?.phase === 'failed') {
      errors.push(`${unit.name}: pod failed: ${pod.error ?? 'unknown error'}`);
      continue;
    }
    if (!pod || pod.phase !== 'running') {
      busy.push(`${unit.name}: pod ${pod?.phase ?? 'not created yet'}`);
      continue;
    }
    if (running) {
      busy.push(`${unit.name}: running ${running}`);
      continue;
    }
    if (unit.failed) {
      errors.push(
        `${unit.name}: hook failed: "${unit.failed.spec.name}" (${unit.failed.attempts} attempt${unit.failed.attempts === 1 ? '' : 's'}); fix it and run \`charm-sim resolved ${unit.name}\``,
      );
      continue;
    }
    const next = nextHook(model, unit.name);
    if (next) {
      busy.push(`${unit.name}: ${next.name} queued`);
      continue;
    }
    if (unit.life !== 'alive') {
      busy.push(`${unit.name}: ${unit.life}`);
      continue;
    }
    for (const [name, c] of Object.entries(unit.containers)) {
      if (c.bootIdSeen === null) busy.push(`${unit.name}: waiting for Pebble in container ${name}`);
      else if (c.bootIdSeen !== c.bootIdHandled) busy.push(`${unit.name}: ${name}-pebble-ready pending`);
    }
  }
  return { settled: busy.length === 0 && errors.length === 0, busy, errors };
}
