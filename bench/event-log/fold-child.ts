/**
 * One cold fold in a fresh process (what a hook pays): `fold-child.ts <dir> full|snapshot`. `full`
 * opens a reader and folds every event from the start; `snapshot` opens the log as a hook does (lock,
 * tail check) and folds from the newest snapshot. Prints `{ ms, events }` as JSON.
 */
import { openEventLog, openEventLogReader } from '../../packages/event-log/src/index.js';
import { counter, schema } from './fold-fixture.js';

const [dir, mode] = process.argv.slice(2);
if (dir === undefined || (mode !== 'full' && mode !== 'snapshot')) {
  process.stderr.write('usage: fold-child.ts <dir> full|snapshot\n');
  process.exit(2);
}
const started = performance.now();
let events: number;
if (mode === 'full') {
  const reader = await openEventLogReader({ dir, schema });
  events = (await reader.fold(counter.reduce, { count: 0, sum: 0 })).state.count;
} else {
  const log = await openEventLog({ dir, schema, projection: counter, snapshotEvery: 0 });
  events = (await log.fold(counter)).state.count;
  await log.close();
}
process.stdout.write(JSON.stringify({ ms: performance.now() - started, events }));
