import fc from 'fast-check';
import { expect, test } from 'vitest';
import { openEventLog, openEventLogReader, type EventInput, type EventLog, type LogReport } from './index.js';
import { tempDir, testSchema, totals, type Totals } from './testing-fixtures/test-schema.js';

type Input = EventInput<typeof testSchema.definitions>;
type Op = { kind: 'append'; events: Input[] } | { kind: 'reopen' } | { kind: 'snapshot' } | { kind: 'compact' };

const tick = fc.record({
  n: fc.integer({ min: -1000, max: 1000 }),
  note: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
});
const bigTick = fc.record({ n: fc.integer(), note: fc.string({ minLength: 4200, maxLength: 6000 }) });
const event: fc.Arbitrary<Input> = fc.oneof(
  {
    weight: 8,
    arbitrary: tick.map((payload) => ({
      type: 'tick' as const,
      payload: payload.note === undefined ? { n: payload.n } : payload,
    })),
  },
  { weight: 1, arbitrary: bigTick.map((payload) => ({ type: 'tick' as const, payload })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ name: fc.string({ maxLength: 20 }), password: fc.string({ maxLength: 20 }), replicas: fc.nat(5) })
      .map((payload) => ({ type: 'config' as const, payload })),
  },
);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.array(event, { minLength: 1, maxLength: 8 }).map((events) => ({ kind: 'append' as const, events })),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'reopen' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'snapshot' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
);
const settings = fc.record({
  maxSegmentBytes: fc.constantFrom(1024, 3000, 1 << 16),
  snapshotEvery: fc.constantFrom(0, 3, 7),
  chunkSize: fc.constantFrom(4096, 1 << 16),
});

function expectedPayload(input: Input): unknown {
  return testSchema.union.parse(input).payload;
}

test('any sequence of appends, reopens, snapshots and compactions reads back exactly the appended events; folds agree', async () => {
  await fc.assert(
    fc.asyncProperty(settings, fc.array(op, { minLength: 1, maxLength: 12 }), async (options, ops) => {
      const { dir, cleanup } = await tempDir('event-log-prop-');
      const reports: LogReport[] = [];
      const open = () =>
        openEventLog({ dir, schema: testSchema, projection: totals, ...options, onReport: (r) => reports.push(r) });
      const model: { type: string; payload: unknown }[] = [];
      let firstSeq = 1;
      let log: EventLog<typeof testSchema.definitions, Totals> = await open();
      try {
        for (const step of ops) {
          if (step.kind === 'append') {
            const results = await Promise.all(step.events.map((e) => log.append(e)));
            expect(results.map((r) => r.seq)).toEqual(step.events.map((_, i) => model.length + i + 1));
            model.push(...step.events.map((e) => ({ type: e.type, payload: expectedPayload(e) })));
          } else if (step.kind === 'reopen') {
            await log.close();
            log = await open();
            expect(log.recovery.tornTail).toBeNull();
            expect(log.lastSeq).toBe(model.length);
          } else if (step.kind === 'snapshot') {
            const taken = await log.snapshot();
            if (model.length > 0 && taken !== null) expect(taken.seq).toBe(model.length);
          } else {
            const compacted = await log.compact({ policy: 'archive' }).catch((e: { code?: string }) => {
              if (e.code === 'no-snapshot') return null;
              throw e;
            });
            if (compacted?.anchor) firstSeq = compacted.anchor.seq + 1;
          }
        }
        await log.close();
        expect(reports.filter((r) => r.kind !== 'lock-taken-over' && r.kind !== 'temp-files-removed')).toEqual([]);
        const reader = await openEventLogReader({ dir, schema: testSchema, chunkSize: options.chunkSize });
        const read: { type: string; payload: unknown }[] = [];
        let seq = firstSeq;
        for await (const e of reader.read()) {
          expect(e.seq).toBe(seq++);
          read.push({ type: e.type, payload: e.payload });
        }
        expect(read).toEqual(model.slice(firstSeq - 1));
        const expected = model.reduce<Totals>(
          (state, e, i) =>
            totals.reduce(state, { ...(e as object), seq: i + 1, time: '', version: 1, hash: '' } as never),
          totals.initial,
        );
        const fromSnapshot = await reader.fold(totals);
        expect(fromSnapshot.state).toEqual(expected);
        if (firstSeq === 1) expect((await reader.fold(totals.reduce, totals.initial)).state).toEqual(expected);
      } finally {
        await log.close();
        await cleanup();
      }
    }),
    { numRuns: 60 },
  );
}, 120_000);

test('a fold from any valid snapshot equals the fold from the start', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(event, { minLength: 1, maxLength: 60 }),
      fc.integer({ min: 1, max: 10 }),
      async (events, every) => {
        const { dir, cleanup } = await tempDir('event-log-prop-');
        try {
          const reports: LogReport[] = [];
          const onReport = (r: LogReport) => reports.push(r);
          const log = await openEventLog({
            dir,
            schema: testSchema,
            projection: totals,
            snapshotEvery: every,
            maxSegmentBytes: 2048,
            keepSnapshots: 100,
            onReport,
          });
          for (const e of events) await log.append(e);
          await log.close();
          expect(reports.filter((r) => r.kind !== 'lock-taken-over' && r.kind !== 'temp-files-removed')).toEqual([]);
          const reader = await openEventLogReader({ dir, schema: testSchema });
          const fromStart = await reader.fold(totals.reduce, totals.initial);
          const fromSnapshot = await reader.fold(totals);
          expect(fromSnapshot.rejectedSnapshots).toEqual([]);
          expect(fromSnapshot.state).toEqual(fromStart.state);
          expect(fromSnapshot.seq).toBe(events.length);
          for (let upTo = 1; upTo <= events.length; upTo += Math.max(1, Math.floor(events.length / 5))) {
            expect((await reader.fold(totals, { upToSeq: upTo })).state).toEqual(
              (await reader.fold(totals.reduce, totals.initial, { upToSeq: upTo })).state,
            );
          }
        } finally {
          await cleanup();
        }
      },
    ),
    { numRuns: 40 },
  );
}, 120_000);
