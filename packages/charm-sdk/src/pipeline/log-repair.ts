import { isEventLogError, type EventLog, type EventLogError } from '@charms/event-log';
import type { Logger } from 'pino';
import type { JujuContext } from '../context/juju-context.js';
import type { CharmEventDefinitions } from './definition.js';

/** What {@link repairDamagedLog} moved aside, for the hook's log line and tests. */
export interface LogRepair {
  /** `corrupt-record` reason (e.g. `bad-digest`, `bad-json`). */
  reason: string;
  segment: string;
  line: number;
  seq: number;
  /** Files renamed to `*.damaged-<time>` (relative to the log dir), kept for the operator. */
  movedAside: string[];
  /** Seq of the last record kept. */
  lastSeq: number;
}

/**
 * Moves the damaged part of a unit's event log aside with the event log's `repair()` (never
 * deleting: the files are kept as `*.damaged-<time>`) and logs a warning naming the code, segment,
 * line and the `charm-replay` command to inspect the log. The hook then goes on: it folds the good
 * prefix and its reconcile rebuilds the rest from the world (Pebble, relation data, secrets), as
 * after a pod whose log was lost. Without this a corrupt log made every hook fail at `open-log`
 * forever (an error loop).
 */
export async function repairDamagedLog<D extends CharmEventDefinitions, S>(
  log: EventLog<D, S>,
  damage: EventLogError,
  context: JujuContext,
  logDir: string,
  logger: Logger,
): Promise<LogRepair> {
  const d = damage.details as { segment?: unknown; line?: unknown; seq?: unknown; reason?: unknown };
  const { movedAside, lastSeq } = await log.repair();
  const found = {
    reason: String(d.reason ?? 'unknown'),
    segment: String(d.segment ?? '?'),
    line: Number(d.line ?? 0),
    seq: Number(d.seq ?? 0),
  };
  logger.warn(
    { report: 'event-log-repaired', code: damage.code, ...found, movedAside, lastSeq },
    `event log corrupt (${damage.code}: ${found.reason}) at ${found.segment} line ${found.line} (record ${found.seq}): ` +
      `moved aside ${movedAside.join(', ') || 'nothing'} in ${logDir} (kept for inspection); ` +
      `kept records up to ${lastSeq}; state is rebuilt from the world; ` +
      `inspect with: charm-replay verify ${logDir} (unit ${context.unitName}) and the kept files`,
  );
  return { ...found, movedAside, lastSeq };
}

/** The `corrupt-record` error in `error`, if that is what it is. */
export function corruptionIn(error: unknown): EventLogError | undefined {
  return isEventLogError(error, 'corrupt-record') ? error : undefined;
}
