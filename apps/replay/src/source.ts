import { access, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { openEventLogReader, type EventLogReader, type EventDefinitions } from '@charms/event-log';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CHARM_NAMES, type ReplayCharm } from './charms/adapter.js';
import { CHARMS, charmNamed } from './charms/registry.js';
import { fromLogError, ReplayError } from './errors.js';

/** Where the log to replay is, as the person said it. */
export interface SourceOptions {
  /** A log directory, or a charm directory holding `.event-log/`. */
  path?: string | undefined;
  /** A unit of a charm-sim model (`redis-k8s/0`), with {@link model}. */
  unit?: string | undefined;
  /** The charm-sim model directory (default `.charm-sim`). */
  model?: string | undefined;
  /** The charm that wrote the log; found from the charm dir's metadata.yaml or the records when absent. */
  charm?: string | undefined;
}

/** An opened log with the charm that wrote it. */
export interface Source {
  dir: string;
  charm: ReplayCharm;
  reader: EventLogReader<EventDefinitions>;
}

const UNIT = /^([a-z][a-z0-9-]*)\/(\d+)$/;
const Metadata = z.object({ name: z.string() });

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** The log directory the options name (a charm-sim unit's lives in its pod's charm dir). */
export async function locateLog(options: SourceOptions): Promise<string> {
  if (options.unit !== undefined) {
    const m = UNIT.exec(options.unit);
    if (m === null)
      throw new ReplayError(
        'usage',
        `cannot read --unit "${options.unit}": write it as <app>/<number>, e.g. redis-k8s/0`,
      );
    const model = path.resolve(options.model ?? '.charm-sim');
    // charm-sim's pod layout: <model>/pods/<app>-<n>/agent/charm (apps/sim/src/pods/layout.ts)
    const charmDir = path.join(model, 'pods', `${m[1]}-${m[2]}`, 'agent', 'charm');
    if (!(await exists(charmDir))) {
      throw new ReplayError(
        'unit-not-found',
        `cannot find unit ${options.unit} in the charm-sim model ${model}: no pod ${m[1]}-${m[2]} (see charm-sim status, or pass --model)`,
        { path: charmDir },
      );
    }
    return logDirOf(charmDir);
  }
  if (options.path === undefined)
    throw new ReplayError(
      'usage',
      'cannot tell which log to read: pass a log or charm directory, or --unit <app>/<n> [--model <dir>]',
    );
  return logDirOf(path.resolve(options.path));
}

async function logDirOf(dir: string): Promise<string> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory())
    throw new ReplayError(
      'log-not-found',
      `cannot read ${dir}: it is not a directory; pass a log directory or a charm directory holding .event-log/`,
      { path: dir },
    );
  const nested = path.join(dir, '.event-log');
  if (await exists(nested)) return nested;
  const names = await readdir(dir);
  if (names.some((n) => n.startsWith('segment-'))) return dir;
  throw new ReplayError(
    'log-not-found',
    `cannot find an event log in ${dir}: it has no segment files and no .event-log/ (has the charm run a hook yet?)`,
    { path: dir },
  );
}

/** Opens the log the options name and works out which charm wrote it. */
export async function openSource(options: SourceOptions): Promise<Source> {
  const dir = await locateLog(options);
  const charm = await detectCharm(dir, options.charm);
  try {
    const reader = await openEventLogReader({ dir, schema: charm.events });
    return { dir, charm, reader };
  } catch (error) {
    throw fromLogError(error, dir, charm.name);
  }
}

async function detectCharm(dir: string, named: string | undefined): Promise<ReplayCharm> {
  if (named !== undefined) {
    const charm = charmNamed(named);
    if (charm === undefined)
      throw new ReplayError(
        'unknown-charm',
        `cannot replay charm "${named}": charm-replay knows ${CHARM_NAMES.join(' and ')}`,
        { charm: named },
      );
    return charm;
  }
  const metadata = path.join(path.dirname(dir), 'metadata.yaml');
  if (await exists(metadata)) {
    const parsed = Metadata.safeParse(parseYaml(await readFile(metadata, 'utf8')));
    const charm = parsed.success ? charmNamed(parsed.data.name) : undefined;
    if (charm !== undefined) return charm;
  }
  // no metadata: the charm whose schema decodes the first records wrote the log
  for (const charm of Object.values(CHARMS)) {
    if (await decodesHead(dir, charm)) return charm;
  }
  throw new ReplayError(
    'unknown-charm',
    `cannot tell which charm wrote ${dir}: its records decode as neither ${CHARM_NAMES.join(' nor ')}; pass --charm`,
    { path: dir },
  );
}

async function decodesHead(dir: string, charm: ReplayCharm): Promise<boolean> {
  try {
    const reader = await openEventLogReader({ dir, schema: charm.events });
    let n = 0;
    for await (const event of reader.read()) {
      void event;
      if (++n >= 20) break;
    }
    return n > 0;
  } catch {
    return false;
  }
}
