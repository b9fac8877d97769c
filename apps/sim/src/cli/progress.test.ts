import { describe, expect, it } from 'vitest';
import { progress } from './progress.js';

function sink(): NodeJS.WriteStream & { text: string } {
  const s = {
    text: '',
    isTTY: false,
    write(chunk: string) {
      s.text += chunk;
      return true;
    },
  };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('plain progress (no TTY)', () => {
  it('prints the first state, throttles a burst of changes, and prints the final state on done', () => {
    const out = sink();
    const p = progress(out);
    p.update('a: installing');
    p.update('a: installing');
    p.update('a: config-changed');
    p.update('a: start');
    p.done();
    expect(out.text).toBe('a: installing\na: start\n');
  });

  it('prints nothing more on done when the last state was already printed', () => {
    const out = sink();
    const p = progress(out);
    p.update('settled');
    p.done();
    expect(out.text).toBe('settled\n');
  });
});
