import { QUESTIONS, type Question } from '../charms/adapter.js';
import { ReplayError } from '../errors.js';
import { diffJson, type Change } from '../json-diff.js';
import { initialDesired, replaySteps } from '../replay.js';
import type { Source } from '../source.js';

/** A change of one area, with the record that caused it. */
export interface AreaChange {
  seq: number;
  time: string;
  summary: string;
  /** What the record changed in the folded state (the cause). */
  stateChanges: Change[];
  /** What then changed in the area (the effect). */
  changes: Change[];
}

/** The answer to "why did <question> happen / look like this at seq N". */
export interface WhyAnswer {
  question: Question;
  meaning: string;
  /** The seq the question is asked at (the end of the log by default). */
  at: number;
  /** The area as planned at `at`. */
  current: unknown;
  /** The latest change at or before `at`, or null when the area never changed. */
  last: AreaChange | null;
  /** Every change at or before `at`, oldest first. */
  history: AreaChange[];
}

/** Finds every record that changed the area `question` follows, up to `atSeq`. */
export async function why(source: Source, question: string, atSeq?: number): Promise<WhyAnswer> {
  const { charm } = source;
  if (!(QUESTIONS as readonly string[]).includes(question)) {
    throw new ReplayError('usage', `cannot answer "why ${question}": ask one of ${QUESTIONS.join(', ')}`);
  }
  const area = charm.areas[question as Question];
  if (area === undefined)
    throw new ReplayError(
      'unsupported-question',
      `cannot answer "why ${question}" for ${charm.name}: it has no such area; ask one of ${Object.keys(charm.areas).join(', ')}`,
    );
  const history: AreaChange[] = [];
  let previous = { state: charm.projection.initial, picked: area.pick(initialDesired(charm)) };
  let at = 0;
  let current: unknown = null;
  for await (const { event, state, desired } of replaySteps(source, { upToSeq: atSeq })) {
    const picked = area.pick(desired);
    const changes = diffJson(previous.picked, picked);
    if (changes.length > 0) {
      history.push({
        seq: event.seq,
        time: event.time,
        summary: charm.summarize(event),
        stateChanges: diffJson(previous.state, state),
        changes,
      });
    }
    previous = { state, picked };
    at = event.seq;
    current = picked;
  }
  if (atSeq !== undefined && at !== atSeq) {
    throw new ReplayError(
      'seq-out-of-range',
      at === 0
        ? `cannot answer at seq ${atSeq}: the log holds no records`
        : `cannot answer at seq ${atSeq}: the log ends at seq ${at}`,
      { seq: atSeq },
    );
  }
  return { question: question as Question, meaning: area.meaning, at, current, last: history.at(-1) ?? null, history };
}
