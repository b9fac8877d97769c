import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { JujuModelError, type Action } from '../model/api.js';
import { modelLayout, type ModelLayout } from '../pods/layout.js';
import { reapRecordedPods } from '../pods/pod.js';
import { reapModelNetwork } from '../pods/pod-network.js';
import { killView, waitGone } from '../pods/namespace-process.js';
import { ControllerPid, type Request } from '../controller/protocol.js';
import { parseDuration, parseTimeScale, type Settings } from '../controller/settings.js';
import { resolveModelDir } from '../runtime/paths.js';
import { StatusJson } from '../runtime/status-schema.js';
import { call, ensureController } from './client.js';
import { debugLog } from './debug-log.js';
import { progress } from './progress.js';
import { formatAction } from './run-output.js';
import { renderStatus } from './status-table.js';

/** Where commands write; injectable for tests. */
export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

interface GlobalOpts {
  modelDir?: string;
  model?: string;
  updateStatusInterval?: string;
  pebblePollInterval?: string;
  hookRetryDelay?: string;
  hookRetryMaxDelay?: string;
  secretTimeScale?: string;
  quiet?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Splits `k=v` (the first `=`); a missing `=` is a usage error naming the argument. */
export function splitKeyValue(arg: string, what: string): [string, string] {
  const i = arg.indexOf('=');
  if (i <= 0) throw new JujuModelError('bad-argument', `cannot parse ${what} "${arg}": expected key=value`);
  return [arg.slice(0, i), arg.slice(i + 1)];
}

function settingsOverrides(o: GlobalOpts): Partial<Settings> {
  const s: Partial<Settings> = {};
  if (o.model) s.modelName = o.model;
  if (o.updateStatusInterval) s.updateStatusIntervalMs = parseDuration(o.updateStatusInterval);
  if (o.pebblePollInterval) s.pebblePollIntervalMs = parseDuration(o.pebblePollInterval);
  if (o.hookRetryDelay) s.hookRetryDelayMs = parseDuration(o.hookRetryDelay);
  if (o.hookRetryMaxDelay) s.hookRetryMaxDelayMs = parseDuration(o.hookRetryMaxDelay);
  if (o.secretTimeScale) s.secretTimeScale = parseTimeScale(o.secretTimeScale);
  return s;
}

/** Builds the `charm-sim` program. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('charm-sim')
    .description(
      'A local Juju model that runs K8s sidecar charms in real pods (namespaces + overlayfs) with real Pebble.',
    )
    .option('--model-dir <dir>', 'model directory (default $CHARM_SIM_DIR or ./.charm-sim)')
    .option('--model <name>', 'model name when the model is created (default "sim")')
    .option('--update-status-interval <duration>', 'update-status period when the controller starts (default 5m)')
    .option('--pebble-poll-interval <duration>', 'Pebble system-info/checks poll period (default 5s)')
    .option('--hook-retry-delay <duration>', 'first retry delay of a failed hook, doubling each attempt (default 5s)')
    .option('--hook-retry-max-delay <duration>', 'longest retry delay (default 5m)')
    .option(
      '--secret-time-scale <factor>',
      'multiply secret rotate periods and the 5m secret-rotate/secret-expired retry delay, 0 < factor <= 1 (default 1)',
    )
    .option('-q, --quiet', 'no progress output')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  const g = (): GlobalOpts => program.opts<GlobalOpts>();
  const layout = (): ModelLayout => modelLayout(resolveModelDir(g().modelDir));
  const request = async (req: Request): Promise<unknown> => {
    const l = layout();
    await ensureController(l, settingsOverrides(g()));
    const p = progress(process.stderr, g().quiet);
    try {
      return await call(l, req, (m) => p.update(m));
    } finally {
      p.done();
    }
  };
  const settle = async (timeout: string) => request({ method: 'wait', timeoutMs: parseDuration(timeout) });
  const waitOpts = (c: Command) =>
    c.option('--wait', 'return when the model settles').option('--timeout <duration>', 'bound for --wait', '10m');

  waitOpts(
    program
      .command('deploy')
      .description('deploy a charm directory or .charm file')
      .argument('<charm>', 'charm directory or .charm file')
      .argument('[app]', 'application name (default: the charm name)')
      .option('-n, --num-units <n>', 'number of units', '1')
      .option('--config <key=value>', 'config value (repeatable)', collect, [])
      .option('--resource <name=path>', 'resource: file path or image reference (repeatable)', collect, [])
      .option('--trust', 'grant access to cloud credentials'),
  ).action(
    async (
      charm: string,
      app: string | undefined,
      o: { numUnits: string; config: string[]; resource: string[]; trust?: boolean; wait?: boolean; timeout: string },
    ) => {
      const units = Number(o.numUnits);
      if (!Number.isInteger(units) || units < 0)
        throw new JujuModelError('bad-argument', `cannot deploy: -n must be a whole number, got "${o.numUnits}"`);
      const r = (await request({
        method: 'deploy',
        charm: resolve(charm),
        ...(app ? { app } : {}),
        units,
        config: Object.fromEntries(o.config.map((kv) => splitKeyValue(kv, '--config'))),
        resources: Object.fromEntries(
          o.resource.map((kv) => splitKeyValue(kv, '--resource')).map(([k, v]) => [k, existsSync(v) ? resolve(v) : v]),
        ),
        ...(o.trust ? { trust: true } : {}),
      })) as { app: string; units: string[] };
      io.out(`Deployed "${r.app}" (${r.units.join(', ') || 'no units'})\n`);
      if (o.wait) await settle(o.timeout);
    },
  );

  waitOpts(
    program
      .command('add-unit')
      .description('add units to an application')
      .argument('<app>')
      .option('-n, --num-units <n>', 'how many', '1'),
  ).action(async (app: string, o: { numUnits: string; wait?: boolean; timeout: string }) => {
    const r = (await request({ method: 'add-unit', app, count: Number(o.numUnits) })) as { units: string[] };
    io.out(`Added ${r.units.join(', ')}\n`);
    if (o.wait) await settle(o.timeout);
  });

  waitOpts(
    program.command('remove-unit').description('remove units (departed, broken, stop, remove)').argument('<units...>'),
  ).action(async (units: string[], o: { wait?: boolean; timeout: string }) => {
    await request({ method: 'remove-unit', units });
    io.out(`Removing ${units.join(', ')}\n`);
    if (o.wait) await settle(o.timeout);
  });

  program
    .command('config')
    .description('show the config of an application, or set values (key=value) and reset keys')
    .argument('<app>')
    .argument('[values...]', 'key=value pairs')
    .option('--reset <key>', 'reset a key to its default (repeatable)', collect, [])
    .option('--format <format>', 'yaml or json', 'yaml')
    .action(async (app: string, values: string[], o: { reset: string[]; format: string }) => {
      const set: Record<string, string | null> = Object.fromEntries(
        values.map((kv) => splitKeyValue(kv, 'config value')),
      );
      for (const k of o.reset) set[k] = null;
      const config = (await request({ method: 'config', app, set })) as Record<string, unknown>;
      if (Object.keys(set).length > 0) return;
      const { stringify } = await import('yaml');
      io.out(o.format === 'json' ? JSON.stringify(config) + '\n' : stringify(config));
    });

  for (const [name, alias, method] of [
    ['relate', 'integrate', 'relate'],
    ['unrelate', 'remove-relation', 'unrelate'],
  ] as const) {
    program
      .command(name)
      .alias(alias)
      .description(
        method === 'relate'
          ? 'relate two endpoints (app:endpoint or app)'
          : 'remove the relation between two endpoints',
      )
      .argument('<a>')
      .argument('<b>')
      .action(async (a: string, b: string) => {
        await request({ method, a, b });
      });
  }

  program
    .command('run')
    .description('run an action on a unit and print its results, like `juju run`')
    .argument('<unit>')
    .argument('<action>')
    .argument('[params...]', 'key=value params (values are YAML scalars; dotted keys nest)')
    .option('--timeout <duration>', 'how long to wait for the result', '10m')
    .option('--format <format>', 'plain or json', 'plain')
    .action(async (unit: string, action: string, params: string[], o: { timeout: string; format: string }) => {
      const a = (await request({
        method: 'run',
        unit,
        action,
        args: params,
        timeoutMs: parseDuration(o.timeout),
      })) as Action;
      if (o.format === 'json') {
        io.out(JSON.stringify(a) + '\n');
        if (a.status !== 'completed') process.exitCode = 1;
        return;
      }
      const f = formatAction(a);
      io.err(f.stderr);
      io.out(f.stdout);
      if (f.exitCode !== 0) process.exitCode = f.exitCode;
    });

  program
    .command('attach-resource')
    .description('attach a file resource (or image reference); the pods roll like refresh')
    .argument('<app>')
    .argument('<resource>', 'name=path')
    .action(async (app: string, kv: string) => {
      const [name, path] = splitKeyValue(kv, 'resource');
      await request({ method: 'attach-resource', app, name, path: existsSync(path) ? resolve(path) : path });
    });

  program
    .command('refresh')
    .description('switch an application to another charm (dir or .charm)')
    .argument('<app>')
    .argument('[charm]', 'charm directory or .charm file')
    .option('--path <charm>', 'same as the charm argument (juju refresh --path)')
    .action(async (app: string, charm: string | undefined, o: { path?: string }) => {
      const path = charm ?? o.path;
      if (!path)
        throw new JujuModelError(
          'bad-argument',
          'cannot refresh: give the charm path (charm-sim refresh <app> <charm>)',
        );
      await request({ method: 'refresh', app, charm: resolve(path) });
    });

  program
    .command('resolved')
    .alias('resolve')
    .description('clear a unit error: retry the failed hook (default) or skip it')
    .argument('<unit>')
    .option('--no-retry', 'skip the failed hook instead of running it again')
    .action(async (unit: string, o: { retry: boolean }) => {
      await request({ method: 'resolved', unit, retry: o.retry });
    });

  program
    .command('status')
    .description('show applications, units and relations')
    .addOption(new Option('--format <format>', 'output format').choices(['tabular', 'json']).default('tabular'))
    .action(async (o: { format: string }) => {
      const s = StatusJson.parse(await request({ method: 'status' }));
      io.out(o.format === 'json' ? JSON.stringify(s, null, 2) + '\n' : renderStatus(s));
    });

  program
    .command('debug-log')
    .description('show hook output and juju-log lines')
    .option('-f, --follow', 'keep printing new lines (Ctrl-C to stop)')
    .option('--tail', 'same as --follow (juju debug-log --tail)')
    .option('--unit <unit>', 'only this unit or app (repeatable)', collect, [])
    .addOption(
      new Option('--level <level>', 'minimum level').choices([
        'TRACE',
        'DEBUG',
        'INFO',
        'WARNING',
        'ERROR',
        'CRITICAL',
      ]),
    )
    .option('-n, --lines <n>', 'only the last n matching lines first')
    .option('--format <format>', 'text or json', 'text')
    .action(
      async (o: {
        follow?: boolean;
        tail?: boolean;
        unit: string[];
        level?: 'INFO';
        lines?: string;
        format: string;
      }) => {
        const l = layout();
        const ac = new AbortController();
        process.once('SIGINT', () => ac.abort());
        await debugLog(
          l.debugLog,
          { units: o.unit, ...(o.level ? { level: o.level } : {}) },
          {
            follow: !!(o.follow || o.tail),
            lines: o.lines ? Number(o.lines) : undefined,
            json: o.format === 'json',
            signal: ac.signal,
            write: io.out,
            exists: async () => existsSync(l.root),
          },
        );
      },
    );

  waitOpts(
    program
      .command('kill-pod')
      .description('kill every process of a unit pod and let it be recreated (pod churn)')
      .argument('<unit>'),
  ).action(async (unit: string, o: { wait?: boolean; timeout: string }) => {
    await request({ method: 'kill-pod', unit });
    if (o.wait) await settle(o.timeout);
  });

  program
    .command('wait')
    .description('wait until the model settles: every pod up, no hook running or queued, pebble-ready delivered')
    .option('--timeout <duration>', 'bound', '10m')
    .action(async (o: { timeout: string }) => {
      await settle(o.timeout);
    });

  program
    .command('destroy')
    .description('kill every pod and the controller and remove the model directory')
    .action(async () => {
      await destroy(layout(), io);
    });

  return program;
}

/** destroy: through the controller if it runs, else reap pods and a stale controller from their pid files. */
export async function destroy(l: ModelLayout, io: CliIO): Promise<void> {
  if (!existsSync(l.root)) {
    io.err(`nothing to destroy at ${l.root}\n`);
    return;
  }
  let pid: { pid: number; start: number } | undefined;
  try {
    pid = ControllerPid.parse(JSON.parse(await readFile(l.controllerPid, 'utf8')));
  } catch {
    pid = undefined;
  }
  try {
    await call(l, { method: 'destroy' }, (m) => io.err(m + '\n'));
    if (pid) await waitGone(pid.pid, 15_000);
  } catch {
    if (pid) {
      await killView(pid.pid, pid.start);
      await waitGone(pid.pid, 15_000);
    }
    await reapRecordedPods(l);
    await reapModelNetwork(l.network);
  }
  await rm(l.root, { recursive: true, force: true });
  io.out(`Destroyed the model at ${l.root}\n`);
}
