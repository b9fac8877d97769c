import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { secrets, secretsIn } from '../logging/secret-registry.js';
import { exampleCharm } from '../testing-fixtures/example-charm/src/definition.js';
import { warmSnapshot } from './warm-snapshot.js';

const EXAMPLE = new URL('../testing-fixtures/example-charm', import.meta.url).pathname;

describe('warmSnapshot', () => {
  it('runs one update-status against an in-memory model and leaves nothing behind', async () => {
    const before = (await readdir(tmpdir())).filter((f) => f.startsWith('charm-warm-'));
    secrets.add('left-over-secret');
    const run = await warmSnapshot(exampleCharm, { JUJU_CHARM_DIR: EXAMPLE, JUJU_UNIT_NAME: 'example-k8s/0' });
    expect(run).toMatchObject({ exitCode: 0, stage: 'done', eventSeq: 1 });
    expect((await readdir(tmpdir())).filter((f) => f.startsWith('charm-warm-'))).toEqual(before);
    expect(secretsIn('left-over-secret')).toBe(false);
    expect(await readdir(EXAMPLE)).not.toContain('.event-log');
  });
});
