/** The help facts of one hook tool, as Juju's `<tool> --help` prints them (juju/cmd Info + gnuflag). */

/** What the running hook lends to the help text: the defaults of -s and -r, and relation-get's unit. */
export interface HelpContext {
  /** The storage instance of a storage hook (`data/0`), else null. */
  storageId: string | null;
  /** The relation of a relation hook, else null. */
  relation: { endpoint: string; id: number } | null;
  /** JUJU_REMOTE_UNIT of the hook, else null. */
  remoteUnit: string | null;
}

/**
 * How gnuflag prints a flag's default: `bool` and `int` and custom values (`value`) bare after two
 * spaces (`--format  (= smart)`), plain string flags quoted after one (`-o, --output (= "")`).
 */
export type OptionKind = 'bool' | 'int' | 'string' | 'value';

/** One flag (all its names share one value, so gnuflag prints them on one line). */
export interface HelpOption {
  /** Every name of the flag; the usage shown is the shortest name's. */
  names: string[];
  usage: string;
  kind: OptionKind;
  /** The default as the flag's String() prints it; a function for the hook-dependent ones. */
  default?: string | ((c: HelpContext) => string);
}

/** A tool's help: Info's Args, Purpose (summary) and Doc (details), and its flags. */
export interface ToolHelp {
  args?: string | ((c: HelpContext) => string);
  summary: string;
  details?: string | ((c: HelpContext) => string);
  options: HelpOption[];
}

/** `--format` and `-o/--output`, which every tool with formatted output has (juju/cmd Output.AddFlags). */
export function outputOptions(fallback: string, formats: readonly string[]): HelpOption[] {
  return [
    {
      names: ['format'],
      usage: `Specify output format (${[...formats].sort().join('|')})`,
      kind: 'value',
      default: fallback,
    },
    { names: ['o', 'output'], usage: 'Specify an output file', kind: 'string', default: '' },
  ];
}

/** The standard three formats with smart first. */
export const smartOutput = outputOptions('smart', ['smart', 'json', 'yaml']);
/** Tools that print only YAML or JSON (goal-state, secret-get, ...). */
export const yamlOutput = outputOptions('yaml', ['yaml', 'json']);

/** `-r, --relation`: defaults to `<endpoint>:<id>` of the hook's relation, empty elsewhere. */
export function relationOption(usage: string): HelpOption {
  return {
    names: ['r', 'relation'],
    usage,
    kind: 'value',
    default: (c) => (c.relation ? `${c.relation.endpoint}:${c.relation.id}` : ''),
  };
}

/** The deprecated string `--format` some writing tools still accept and ignore. */
export const deprecatedFormat: HelpOption = {
  names: ['format'],
  usage: 'deprecated format flag',
  kind: 'string',
  default: '',
};
