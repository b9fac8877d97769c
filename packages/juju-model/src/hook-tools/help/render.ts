/** Renders a tool's help in juju/cmd's layout with gnuflag's option lines. */
import type { HelpContext, HelpOption, ToolHelp } from './types.js';

function resolve(v: string | ((c: HelpContext) => string) | undefined, c: HelpContext): string {
  return typeof v === 'function' ? v(c) : (v ?? '');
}

function byLength(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** One gnuflag PrintDefaults entry: names shortest first, the default, the usage indented below. */
function optionLines(o: HelpOption, c: HelpContext): string {
  const names = [...o.names].sort(byLength).map((n) => (n.length > 1 ? `--${n}` : `-${n}`));
  const def = resolve(o.default, c) || (o.kind === 'bool' ? 'false' : o.kind === 'int' ? '0' : '');
  const shown = o.kind === 'string' ? ` (= ${JSON.stringify(def)})` : `  (= ${def})`;
  return `${names.join(', ')}${shown}\n    ${o.usage}\n`;
}

/** The whole text `<name> --help` prints (exit 0, on stdout). */
export function renderHelp(name: string, help: ToolHelp, c: HelpContext): string {
  const args = resolve(help.args, c);
  let out = `Usage: ${name}${help.options.length > 0 ? ' [options]' : ''}${args ? ` ${args}` : ''}\n`;
  out += `\nSummary:\n${help.summary.trim()}\n`;
  if (help.options.length > 0) {
    // gnuflag sorts the entries by their shortest name
    const sorted = [...help.options].sort((a, b) => {
      const x = [...a.names].sort(byLength)[0]!;
      const y = [...b.names].sort(byLength)[0]!;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    out += `\nOptions:\n${sorted.map((o) => optionLines(o, c)).join('')}`;
  }
  const details = resolve(help.details, c).trim();
  if (details) out += `\nDetails:\n${details}\n`;
  return out;
}
