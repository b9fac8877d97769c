import { QUESTIONS, type Question } from '../charms/adapter.js';
import { diffJson, sameJson, type Change } from '../json-diff.js';
import { initialDesired, replaySteps } from '../replay.js';
import type { Source } from '../source.js';

/** One line of the timeline. */
export interface TimelineEntry {
  seq: number;
  time: string;
  type: string;
  summary: string;
  /** The areas of the desired state this record changed. */
  changed: Question[];
  failed: boolean;
  /** With `diffs`: what the record changed in the folded state and in the desired state. */
  stateChanges?: Change[];
  desiredChanges?: Change[];
}

/** Options of {@link timeline}. */
export interface TimelineOptions {
  fromSeq?: number | undefined;
  toSeq?: number | undefined;
  /** Also give each entry its state and desired-state changes. */
  diffs?: boolean | undefined;
}

/** Every record with what it changed in the desired state (records before `fromSeq` are folded but not listed). */
export async function timeline(source: Source, options: TimelineOptions = {}): Promise<TimelineEntry[]> {
  const { charm } = source;
  const out: TimelineEntry[] = [];
  let previous = initialDesired(charm);
  let previousState: unknown = charm.projection.initial;
  for await (const { event, state, desired } of replaySteps(source, { upToSeq: options.toSeq })) {
    const changed = QUESTIONS.filter((q) => {
      const area = charm.areas[q];
      return area !== undefined && !sameJson(area.pick(previous), area.pick(desired));
    });
    if (options.fromSeq === undefined || event.seq >= options.fromSeq) {
      const entry: TimelineEntry = {
        seq: event.seq,
        time: event.time,
        type: event.type,
        summary: charm.summarize(event),
        changed,
        failed: event.type === 'hook-failed',
      };
      if (options.diffs === true) {
        entry.stateChanges = diffJson(previousState, state);
        entry.desiredChanges = diffJson(previous, desired);
      }
      out.push(entry);
    }
    previous = desired;
    previousState = state;
  }
  return out;
}
