import type { ConfigValue } from '@charms/charm-sdk';
import { QUESTIONS, type Question, type ReplayCharm, type ReplayEvent } from '../charms/adapter.js';
import { ReplayError } from '../errors.js';
import { diffJson, type Change } from '../json-diff.js';
import { replaySteps } from '../replay.js';
import type { Source } from '../source.js';

/** The outcome of a what-if replay. */
export interface WhatIfAnswer {
  overrides: Record<string, ConfigValue>;
  /** Records whose config observation was changed. */
  injected: number;
  /** The first record after which the desired state differs, or null when it never does. */
  firstDivergence: { seq: number; summary: string; areas: Question[] } | null;
  /** How the final desired state differs, by area (areas that do not differ are left out). */
  final: Partial<Record<Question, Change[]>>;
  lastSeq: number;
}

/**
 * Parses `key=value` overrides against the charm's config schema: values become the option's type
 * (number, boolean or string), unknown options and bad values are refused with the option's name.
 */
export function parseOverrides(charm: ReplayCharm, pairs: readonly string[]): Record<string, ConfigValue> {
  const shape = charm.config.shape as Record<
    string,
    { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }
  >;
  const out: Record<string, ConfigValue> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new ReplayError('bad-config-override', `cannot read --config "${pair}": write it as <option>=<value>`);
    const key = pair.slice(0, eq);
    const text = pair.slice(eq + 1);
    const option = shape[key];
    if (option === undefined) {
      throw new ReplayError(
        'bad-config-override',
        `cannot override "${key}": ${charm.name} has no such option; it has ${Object.keys(shape).join(', ')}`,
        { option: key },
      );
    }
    const candidates: ConfigValue[] = [text];
    if (text === 'true' || text === 'false') candidates.unshift(text === 'true');
    if (text.trim() !== '' && Number.isFinite(Number(text))) candidates.unshift(Number(text));
    const value = candidates.find((c) => option.safeParse(c).success);
    if (value === undefined) {
      const problem = option.safeParse(candidates[0]).error?.issues[0]?.message ?? 'invalid value';
      throw new ReplayError('bad-config-override', `cannot override "${key}" with "${text}": ${problem}`, {
        option: key,
      });
    }
    out[key] = value;
  }
  return out;
}

function withConfig(event: ReplayEvent, overrides: Record<string, ConfigValue>): ReplayEvent | undefined {
  const payload = event.payload as { config?: unknown };
  if (event.type !== 'hook' || typeof payload.config !== 'object' || payload.config === null) return undefined;
  return {
    ...event,
    payload: { ...payload, config: { ...(payload.config as Record<string, ConfigValue>), ...overrides } },
  } as ReplayEvent;
}

/** Replays the log twice in lockstep, as recorded and with `overrides` in every config observation. */
export async function whatIf(source: Source, overrides: Record<string, ConfigValue>): Promise<WhatIfAnswer> {
  const { charm } = source;
  let injected = 0;
  const transform = (event: ReplayEvent) => {
    const changed = withConfig(event, overrides);
    if (changed === undefined) return event;
    injected++;
    return changed;
  };
  const a = replaySteps(source);
  const b = replaySteps(source, { transform });
  let firstDivergence: WhatIfAnswer['firstDivergence'] = null;
  let final: WhatIfAnswer['final'] = {};
  let lastSeq = 0;
  try {
    for (;;) {
      const [x, y] = await Promise.all([a.next(), b.next()]);
      if (x.done === true || y.done === true) break;
      lastSeq = x.value.event.seq;
      const areas: Partial<Record<Question, Change[]>> = {};
      for (const q of QUESTIONS) {
        const area = charm.areas[q];
        if (area === undefined) continue;
        const changes = diffJson(area.pick(x.value.desired), area.pick(y.value.desired));
        if (changes.length > 0) areas[q] = changes;
      }
      if (firstDivergence === null && Object.keys(areas).length > 0) {
        firstDivergence = {
          seq: lastSeq,
          summary: charm.summarize(x.value.event),
          areas: Object.keys(areas) as Question[],
        };
      }
      final = areas;
    }
  } finally {
    await Promise.all([a.return(), b.return()]);
  }
  return { overrides, injected, firstDivergence, final, lastSeq };
}
