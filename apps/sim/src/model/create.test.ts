import { describe, expect, it } from 'vitest';
import { createModel, parseModel } from './create.js';
import { deployApp } from './deploy.js';
import { JujuModelError } from '@charms/juju-model';
import { redisLike, Sim } from './testing-fixtures/sim.js';

describe('model persistence', () => {
  it('round-trips a settled model through JSON', () => {
    const sim = new Sim();
    sim.apply(deployApp(sim.model, { charm: redisLike(), units: 2 }));
    sim.settle();
    const back = parseModel(JSON.parse(JSON.stringify(sim.model)), 'model.json');
    expect(back).toEqual(sim.model);
  });

  it('names the file and field of a corrupt model', () => {
    const m = JSON.parse(JSON.stringify(createModel({ name: 'x' })));
    m.counters.relation = 'one';
    expect(() => parseModel(m, '/tmp/m/model.json')).toThrow(
      /cannot load the model from \/tmp\/m\/model.json: .*counters\.relation/s,
    );
  });

  it('rejects a bad model name', () => {
    expect(() => createModel({ name: 'Bad Name' })).toThrow(expect.objectContaining({ code: 'bad-argument' }));
  });
});

describe('JujuModelError', () => {
  it('round-trips through JSON with its code', () => {
    const e = new JujuModelError('unknown-app', 'cannot find application "x"', { app: 'x' });
    const back = JujuModelError.fromJSON(JSON.parse(JSON.stringify(e)));
    expect(back).toBeInstanceOf(JujuModelError);
    expect(back.toJSON()).toEqual(e.toJSON());
    expect(JujuModelError.is(back, 'unknown-app')).toBe(true);
  });
});
