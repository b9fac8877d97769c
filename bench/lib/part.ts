/** The shape every benchmark part has, so `npm run bench` can run any subset and write one report. */
import type { Goal } from './stats.js';

/** How one run of the bench is asked for. */
export interface RunOptions {
  /** Tiny sizes and the fewest rounds that still exercise every code path (what CI runs). */
  smoke: boolean;
  /** Interleaved rounds per comparison (at least 5 for a full run). */
  rounds: number;
  /** A scratch dir of this part, removed by the caller after the run. */
  workDir: string;
  /** One progress line (long parts print one per round). */
  progress(line: string): void;
}

/** A chart the report embeds, written to `bench/report/<file>`. */
export interface Chart {
  file: string;
  title: string;
  svg: string;
}

/** What a part measured. */
export interface PartResult {
  /** Markdown of the part's section body: tables (min/median/max), settings, notes. */
  markdown: string;
  goals: Goal[];
  charts: Chart[];
  /** Every raw number, for `bench/report/report.json`. */
  data: unknown;
}

/** A named part of the bench. */
export interface BenchPart {
  name: string;
  title: string;
  /** A one-line description for `--help`. */
  summary: string;
  run(options: RunOptions): Promise<PartResult>;
}
