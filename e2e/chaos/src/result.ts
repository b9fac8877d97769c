/** One scenario's numbers, as the report shows them. */
export interface ScenarioResult {
  name: string;
  runs: number;
  faults: number;
  acknowledged: number;
  lost: number | null;
  longestUnavailableMs: number | null;
  primariesAtRest: number | null;
  outcome: 'pass' | 'fail';
  notes: string[];
}

/** A fresh result for `name`; scenarios fill it in as they go. */
export function newResult(name: string): ScenarioResult {
  return {
    name,
    runs: 0,
    faults: 0,
    acknowledged: 0,
    lost: null,
    longestUnavailableMs: null,
    primariesAtRest: null,
    outcome: 'fail',
    notes: [],
  };
}
