import type { ReplayCharm, ReplayEvent } from './charms/adapter.js';
import { fromLogError, ReplayError } from './errors.js';
import type { Source } from './source.js';

/** One record replayed: the record, the state after folding it, and the desired state planned from that. */
export interface Step {
  event: ReplayEvent;
  state: unknown;
  desired: unknown;
}

/** Options of {@link replaySteps}. */
export interface ReplayOptions {
  /** Stop after this seq. */
  upToSeq?: number | undefined;
  /** Changes each record before it is folded (what-if); must be pure. */
  transform?: ((event: ReplayEvent) => ReplayEvent) | undefined;
}

/**
 * Folds the log from its first record with the charm's own reducer and plans after every record,
 * exactly as the charm did (pure: the same log gives the same steps).
 */
export async function* replaySteps(source: Source, options: ReplayOptions = {}): AsyncGenerator<Step, void> {
  const { charm } = source;
  let state = structuredClone(charm.projection.initial);
  try {
    for await (const original of source.reader.read(options.upToSeq === undefined ? {} : { toSeq: options.upToSeq })) {
      const event = options.transform === undefined ? original : options.transform(original);
      state = step(charm, 'fold', event.seq, () => charm.projection.reduce(state, event));
      const desired = step(charm, 'plan', event.seq, () => charm.plan(state));
      yield { event: original, state, desired };
    }
  } catch (error) {
    throw fromLogError(error, source.dir, charm.name);
  }
}

function step<T>(charm: ReplayCharm, what: 'fold' | 'plan', seq: number, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ReplayError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const verb = what === 'fold' ? 'reducer threw while folding' : 'planner threw while planning after';
    throw new ReplayError(
      'replay-failed',
      `cannot replay record ${seq}: the ${charm.name} ${verb} it: ${reason}`,
      { seq, reason },
      { cause: error },
    );
  }
}

/** The last step at or before `seq` (the end of the log when undefined); throws when the log holds no such record. */
export async function stepAt(source: Source, seq: number | undefined): Promise<Step> {
  let last: Step | undefined;
  for await (const s of replaySteps(source, { upToSeq: seq })) last = s;
  if (last === undefined) {
    throw new ReplayError(
      'seq-out-of-range',
      seq === undefined
        ? `cannot replay ${source.dir}: the log holds no records`
        : `cannot replay up to seq ${seq}: the log holds no record at or before it`,
      { seq },
    );
  }
  if (seq !== undefined && last.event.seq !== seq) {
    throw new ReplayError('seq-out-of-range', `cannot show seq ${seq}: the log ends at seq ${last.event.seq}`, {
      seq,
      lastSeq: last.event.seq,
    });
  }
  return last;
}

/** The desired state before any record: the plan of the charm's initial state (null if the planner cannot plan it). */
export function initialDesired(charm: ReplayCharm): unknown {
  try {
    return charm.plan(structuredClone(charm.projection.initial));
  } catch {
    return null;
  }
}
