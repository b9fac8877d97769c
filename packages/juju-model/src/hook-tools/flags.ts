/**
 * gnuflag-style argument parsing as Juju's hook tools do it: `-x v`, `-x=v`, `--name v`,
 * `--name=v`, bools as `--flag` or `--flag=<Go ParseBool>`, flags anywhere among the
 * positionals, `--` ends flags.
 */
import { usage } from './tool-error.js';

/** One flag a tool accepts; the first name is the canonical key. */
export interface FlagSpec {
  names: string[];
  kind: 'bool' | 'string';
}

/** Parsed argv: flag values by canonical name, how each flag was typed, and positionals. */
export interface ParsedArgs {
  flags: Map<string, string | boolean>;
  typed: Map<string, string>;
  positionals: string[];
}

const trueWords = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const falseWords = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's strconv.ParseBool, or undefined. */
export function parseGoBool(s: string): boolean | undefined {
  if (trueWords.has(s)) return true;
  if (falseWords.has(s)) return false;
  return undefined;
}

/** `-h` or `--help` among the flags (gnuflag's ErrHelp): the tool prints its help and exits 0. */
export class HelpRequest extends Error {
  override readonly name = 'HelpRequest';
}

/** Parses argv against the tool's flags. Throws a usage ToolError (exit 2) with gnuflag's texts, or a HelpRequest. */
export function parseArgs(argv: string[], specs: FlagSpec[]): ParsedArgs {
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) for (const n of s.names) byName.set(n, s);
  const flags = new Map<string, string | boolean>();
  const typed = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.length < 2 || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const dashes = arg.startsWith('--') ? '--' : '-';
    const body = arg.slice(dashes.length);
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    const shown = `${dashes}${name}`;
    const spec = byName.get(name);
    if (!spec && (name === 'help' || name === 'h')) throw new HelpRequest('help requested');
    if (!spec || name === '' || (dashes === '-' && name.length > 1))
      throw usage(`flag provided but not defined: ${shown}`);
    const key = spec.names[0]!;
    typed.set(key, shown);
    if (spec.kind === 'bool') {
      if (eq === -1) {
        flags.set(key, true);
        continue;
      }
      const raw = body.slice(eq + 1);
      const b = parseGoBool(raw);
      if (b === undefined) throw usage(`invalid value "${raw}" for flag ${shown}: parse error`);
      flags.set(key, b);
      continue;
    }
    if (eq !== -1) {
      flags.set(key, body.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined) throw usage(`flag needs an argument: ${shown}`);
    flags.set(key, next);
    i++;
  }
  return { flags, typed, positionals };
}

/** `unrecognized args: ["a" "b"]` unless no positionals are left (juju/cmd CheckEmpty). */
export function checkEmpty(rest: string[]): void {
  if (rest.length > 0) throw usage(`unrecognized args: [${rest.map((a) => JSON.stringify(a)).join(' ')}]`);
}
