import { z } from 'zod';
import { EventLogError, formatIssues } from './errors.js';
import type { RawRecord } from './record-codec.js';

/** One event type: its payload schema, current version and the upcasters from older versions. */
export interface EventTypeDefinition<Schema extends z.ZodType = z.ZodType> {
  /** Current schema version, an integer from 1 (default 1). */
  version?: number;
  /** Schema of the payload at the current version. It must accept its own output (see README). */
  schema: Schema;
  /** `upcasters[k]` turns a version-k payload into a version-(k+1) payload; one for each k below `version`. */
  upcasters?: Record<number, (payload: never) => unknown>;
}

/** Event type name -> definition. */
export type EventDefinitions = Record<string, EventTypeDefinition>;

/** An event as it is read back: the union of `{ type, payload }` over the definitions. */
export type EventOf<D extends EventDefinitions> = {
  [K in keyof D & string]: { type: K; payload: z.output<D[K]['schema']> };
}[keyof D & string];

/** What `append` accepts: like {@link EventOf} but with payload inputs (e.g. plain secret values). */
export type EventInput<D extends EventDefinitions> = {
  [K in keyof D & string]: { type: K; payload: z.input<D[K]['schema']> };
}[keyof D & string];

/** Fields every read event carries besides type and payload. */
export interface EventMeta {
  seq: number;
  /** ISO-8601 time of the append. */
  time: string;
  /** Version the payload was written with (it has been upcast to the current one). */
  version: number;
  /** The record's hash. */
  hash: string;
}

/** An event read from the log. */
export type LoggedEvent<D extends EventDefinitions> = EventOf<D> & EventMeta;

/** The validated, ready-to-store form of an event. */
export interface EncodedEvent {
  type: string;
  v: number;
  payloadJson: string;
}

interface TypeEntry {
  version: number;
  schema: z.ZodType;
  upcasters: ((payload: unknown) => unknown)[];
}

/** The typed events of one log; build it with {@link defineEventSchema}. */
export interface EventSchema<D extends EventDefinitions = EventDefinitions> {
  readonly definitions: D;
  /** Event type names. */
  readonly types: readonly (keyof D & string)[];
  /** The zod discriminated union of `{ type, payload }` at current versions. */
  readonly union: z.ZodType<EventOf<D>, EventInput<D>>;
  /** Validates an event for appending; throws `unknown-event-type`, `invalid-event` or `invalid-payload`. */
  encode(event: unknown): EncodedEvent;
  /** Upcasts and validates a stored record; throws an error naming the seq when it cannot. */
  decode(record: RawRecord): LoggedEvent<D>;
}

/** Event definitions of a schema. */
export type DefinitionsOf<S> = S extends EventSchema<infer D> ? D : never;

/** Defines the typed events of a log (a zod discriminated union on `type`, versioned, with upcasters). */
export function defineEventSchema<const D extends EventDefinitions>(definitions: D): EventSchema<D> {
  const entries = new Map<string, TypeEntry>();
  for (const [type, definition] of Object.entries(definitions)) entries.set(type, checkDefinition(type, definition));
  const types = [...entries.keys()];
  if (types.length === 0)
    throw new EventLogError('invalid-schema', 'cannot define an event schema without event types: pass at least one');
  const options = types.map((type) =>
    z.object({ type: z.literal(type), payload: (entries.get(type) as TypeEntry).schema }),
  );
  const union = z.discriminatedUnion(
    'type',
    options as unknown as [z.ZodObject, ...z.ZodObject[]],
  ) as unknown as EventSchema<D>['union'];

  function encode(event: unknown): EncodedEvent {
    if (typeof event !== 'object' || event === null || typeof (event as { type?: unknown }).type !== 'string') {
      throw new EventLogError(
        'invalid-event',
        'cannot append: an event is an object { type, payload } with a string type',
      );
    }
    const type = (event as { type: string }).type;
    const entry = entries.get(type);
    if (entry === undefined) throw unknownType(type, types);
    const parsed = union.safeParse(event);
    if (!parsed.success) throw invalidPayload(type, undefined, parsed.error, 'append');
    const payloadJson = JSON.stringify((parsed.data as { payload: unknown }).payload) as string | undefined;
    const stored = payloadJson === undefined ? undefined : entry.schema.safeParse(JSON.parse(payloadJson));
    if (payloadJson === undefined || stored === undefined || !stored.success) {
      throw new EventLogError(
        'invalid-payload',
        `cannot append a "${type}" event: its payload does not survive JSON (use plain JSON values, no Date, Map or undefined)`,
        { type, issues: stored === undefined || stored.success ? [] : formatIssues(stored.error) },
      );
    }
    return { type, v: entry.version, payloadJson };
  }

  function decode(record: RawRecord): LoggedEvent<D> {
    const entry = entries.get(record.type);
    if (entry === undefined) throw unknownType(record.type, types, record.seq);
    let payload = record.payload;
    if (record.v !== entry.version) payload = upcast(record, entry, payload);
    const parsed = entry.schema.safeParse(payload);
    if (!parsed.success) throw invalidPayload(record.type, record.seq, parsed.error, 'read');
    return {
      seq: record.seq,
      time: record.time,
      type: record.type,
      version: record.v,
      hash: record.hash,
      payload: parsed.data,
    } as LoggedEvent<D>;
  }

  return { definitions, types, union, encode, decode };
}

function checkDefinition(type: string, definition: EventTypeDefinition): TypeEntry {
  const version = definition.version ?? 1;
  if (type.length === 0) throw new EventLogError('invalid-schema', 'cannot define an event type with an empty name');
  if (!Number.isInteger(version) || version < 1) {
    throw new EventLogError(
      'invalid-schema',
      `cannot define event type "${type}": version must be an integer >= 1, got ${version}`,
      { type },
    );
  }
  if (!(definition.schema instanceof z.ZodType)) {
    throw new EventLogError('invalid-schema', `cannot define event type "${type}": schema must be a zod schema`, {
      type,
    });
  }
  const upcasters: ((payload: unknown) => unknown)[] = [];
  for (let from = 1; from < version; from++) {
    const upcaster = definition.upcasters?.[from];
    if (typeof upcaster !== 'function') {
      throw new EventLogError(
        'invalid-schema',
        `cannot define event type "${type}" at version ${version}: add upcasters[${from}] turning a version-${from} payload into version ${from + 1}`,
        { type },
      );
    }
    upcasters.push(upcaster as (payload: unknown) => unknown);
  }
  return { version, schema: definition.schema, upcasters };
}

function upcast(record: RawRecord, entry: TypeEntry, payload: unknown): unknown {
  if (record.v > entry.version) {
    throw new EventLogError(
      'unsupported-version',
      `cannot read record ${record.seq}: its "${record.type}" event has version ${record.v} but this reader knows up to ${entry.version}; upgrade the reader`,
      { seq: record.seq, type: record.type, version: record.v },
    );
  }
  let current = payload;
  for (let from = record.v; from < entry.version; from++) {
    try {
      current = (entry.upcasters[from - 1] as (payload: unknown) => unknown)(current);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new EventLogError(
        'upcast-failed',
        `cannot read record ${record.seq}: upcasting its "${record.type}" event from version ${from} to ${from + 1} failed: ${reason}`,
        { seq: record.seq, type: record.type, version: from },
        { cause: error },
      );
    }
  }
  return current;
}

function unknownType(type: string, known: readonly string[], seq?: number): EventLogError {
  const where = seq === undefined ? 'cannot append' : `cannot read record ${seq}`;
  return new EventLogError(
    'unknown-event-type',
    `${where}: event type "${type}" is not in the schema (known: ${known.join(', ')}); add it to defineEventSchema`,
    seq === undefined ? { type } : { type, seq },
  );
}

function invalidPayload(
  type: string,
  seq: number | undefined,
  error: z.ZodError,
  when: 'append' | 'read',
): EventLogError {
  const issues = formatIssues(error);
  const where =
    when === 'append'
      ? `cannot append a "${type}" event: its payload is invalid`
      : `cannot read record ${seq}: its "${type}" event has an invalid payload`;
  return new EventLogError(
    'invalid-payload',
    `${where}: ${issues.join('; ')}`,
    seq === undefined ? { type, issues } : { type, seq, issues },
  );
}
