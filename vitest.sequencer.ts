import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Projects whose one long file must start first: it runs beside the rest instead of after it. */
const FIRST = new Set(['@charms/chaos-e2e']);

/**
 * Vitest's order (slowest known first, else largest file first), except that the chaos run (one small
 * file that takes about 9 minutes) starts at once on its own worker; sorted last by size, it would run
 * alone after everything else.
 */
export default class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = sorted.filter((f) => FIRST.has(f.project.name));
    return [...first, ...sorted.filter((f) => !FIRST.has(f.project.name))];
  }
}
