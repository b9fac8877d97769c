import { open, stat } from 'node:fs/promises';
import { z } from 'zod';
import { DebugLogLine, LEVELS } from '../controller/debug-log.js';

export type DebugLogEntry = z.infer<typeof DebugLogLine>;

/** Filters of `debug-log`. */
export interface DebugLogFilter {
  /** Only these units (`app/0`) or whole apps (`app`). */
  units?: readonly string[];
  /** Minimum level. */
  level?: DebugLogEntry['level'];
}

/** Whether a line passes the filter. */
export function matches(e: DebugLogEntry, f: DebugLogFilter): boolean {
  if (f.level && LEVELS.indexOf(e.level) < LEVELS.indexOf(f.level)) return false;
  if (f.units && f.units.length > 0 && !f.units.some((u) => e.unit === u || e.unit.startsWith(`${u}/`))) return false;
  return true;
}

/** Juju's debug-log line: `unit-app-0: 12:00:01 INFO unit.app/0.juju-log install: message`. */
export function formatLine(e: DebugLogEntry): string {
  const tag = e.unit ? `unit-${e.unit.replace('/', '-')}` : 'model';
  const time = e.time.slice(11, 19);
  const hook = e.hook && !e.logger.endsWith(`.${e.hook}`) ? `${e.hook}: ` : '';
  return `${tag}: ${time} ${e.level} ${e.logger} ${hook}${e.message}`;
}

/** Parses the JSON lines of a chunk of the debug-log file; skips lines that do not parse. */
export function parseLines(text: string): DebugLogEntry[] {
  const out: DebugLogEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const r = DebugLogLine.safeParse(JSON.parse(line));
      if (r.success) out.push(r.data);
    } catch {
      // a torn last line: the next read completes it
    }
  }
  return out;
}

/**
 * Reads the debug-log file from `offset`, returning whole lines and the offset after the last one.
 */
export async function readFrom(path: string, offset: number): Promise<{ entries: DebugLogEntry[]; offset: number }> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return { entries: [], offset };
  }
  if (size <= offset) return { entries: [], offset: size < offset ? 0 : offset };
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(size - offset);
    await handle.read(buf, 0, buf.length, offset);
    const text = buf.toString('utf8');
    const end = text.lastIndexOf('\n') + 1;
    return { entries: parseLines(text.slice(0, end)), offset: offset + Buffer.byteLength(text.slice(0, end)) };
  } finally {
    await handle.close();
  }
}

/** Prints matching lines; with `follow`, keeps polling until `signal` aborts or the model dir goes away. */
export async function debugLog(
  path: string,
  filter: DebugLogFilter,
  opts: {
    follow: boolean;
    lines?: number | undefined;
    json: boolean;
    signal?: AbortSignal;
    write?: (s: string) => void;
    exists?: () => Promise<boolean>;
  },
): Promise<void> {
  const write = opts.write ?? ((s: string) => void process.stdout.write(s));
  const print = (entries: DebugLogEntry[]) => {
    for (const e of entries) if (matches(e, filter)) write((opts.json ? JSON.stringify(e) : formatLine(e)) + '\n');
  };
  let { entries, offset } = await readFrom(path, 0);
  const shown = entries.filter((e) => matches(e, filter));
  print(opts.lines !== undefined ? shown.slice(-opts.lines) : shown);
  while (opts.follow && !opts.signal?.aborted) {
    await new Promise((r) => setTimeout(r, 200));
    if (opts.exists && !(await opts.exists())) return;
    ({ entries, offset } = await readFrom(path, offset));
    print(entries);
  }
}
