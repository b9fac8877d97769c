import { stringify } from 'yaml';
import type { Action } from '../model/api.js';

const OUTPUT_KEYS = new Set([
  'stdout',
  'stderr',
  'return-code',
  'Stdout',
  'Stderr',
  'Code',
  'stdout-encoding',
  'stderr-encoding',
]);

/** What `run` prints, like `juju run`: action-log lines, the results as YAML, then the captured output. */
export function formatAction(a: Action): { stdout: string; stderr: string; exitCode: number } {
  let stderr = '';
  for (const l of a.log) stderr += `${l.timestamp.slice(11, 19)} ${l.message}\n`;
  const results = Object.fromEntries(Object.entries(a.results).filter(([k]) => !OUTPUT_KEYS.has(k)));
  let stdout = Object.keys(results).length > 0 ? stringify(results) : '';
  const out = a.results['stdout'] ?? a.results['Stdout'];
  const err = a.results['stderr'] ?? a.results['Stderr'];
  if (typeof out === 'string' && out) stdout += out.endsWith('\n') ? out : `${out}\n`;
  if (typeof err === 'string' && err) stderr += err.endsWith('\n') ? err : `${err}\n`;
  if (a.status === 'failed' || a.status === 'cancelled') {
    stderr += `ERROR the action ${a.name} (id ${a.id}) on ${a.unit} ${a.status}${a.message ? `: ${a.message}` : ''}\n`;
    return { stdout, stderr, exitCode: 1 };
  }
  return { stdout, stderr, exitCode: 0 };
}
