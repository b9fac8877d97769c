import { pino, type Logger, type LevelWithSilent } from 'pino';
import { jujuLog, type JujuLogLevel } from '../hook-tools/log.js';
import type { HookToolRunner } from '../hook-tools/runner.js';
import { redactSecrets, type SecretRegistry, secrets as processSecrets } from './secret-registry.js';

/** Keys whose values pino always replaces, wherever they sit (one level deep). */
export const REDACTED_KEYS = [
  'password',
  'passwd',
  'secret',
  'token',
  'credential',
  'credentials',
  'private-key',
  'privateKey',
];

/** Options of {@link createCharmLogger}. */
export interface CharmLoggerOptions {
  /** Sends records to `juju-log`; omit to log to stderr only. */
  runner?: HookToolRunner;
  /** Lowest level sent to juju-log (default `info`, `debug` with JUJU_DEBUG). */
  level?: LevelWithSilent;
  /** Lowest level also written to stderr (default `warn`, `debug` with JUJU_DEBUG). */
  stderrLevel?: LevelWithSilent;
  /** Where stderr lines go (default process.stderr). */
  stderr?: { write(line: string): unknown };
  /** Fields on every record, e.g. `{ unit, hook }`. */
  bindings?: Record<string, unknown>;
  /** Registry whose values are redacted (default: the process-wide one). */
  secrets?: SecretRegistry;
}

/** A pino logger whose juju-log deliveries can be awaited. */
export interface CharmLogger {
  logger: Logger;
  /** Resolves when every record so far reached juju-log. */
  flush(): Promise<void>;
}

const LEVELS: Record<number, JujuLogLevel> = {
  10: 'DEBUG',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARNING',
  50: 'ERROR',
  60: 'CRITICAL',
};
const NOISE = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/** Maps a pino level number to the juju-log level name. */
export function jujuLevel(level: number): JujuLogLevel {
  return LEVELS[level] ?? (level < 30 ? 'DEBUG' : level >= 60 ? 'CRITICAL' : 'INFO');
}

/** Renders a pino record as one juju-log line: the message, then its other fields as JSON. */
export function formatRecord(record: Record<string, unknown>): string {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!NOISE.has(k)) rest[k] = v;
  const msg = typeof record['msg'] === 'string' ? record['msg'] : '';
  return Object.keys(rest).length === 0 ? msg : `${msg} ${JSON.stringify(rest)}`;
}

/**
 * A pino logger writing to juju-log (levels mapped to DEBUG/INFO/WARNING/ERROR/CRITICAL) and to
 * stderr. Secret-looking keys are redacted by pino; registered secret values are redacted in every
 * line before it leaves the process.
 */
export function createCharmLogger(options: CharmLoggerOptions = {}): CharmLogger {
  const debug = Boolean(process.env['JUJU_DEBUG']);
  const level = options.level ?? (debug ? 'debug' : 'info');
  const stderrLevel = pino.levels.values[options.stderrLevel ?? (debug ? 'debug' : 'warn')] ?? Infinity;
  const stderr = options.stderr ?? process.stderr;
  const registry = options.secrets ?? processSecrets;
  const redact = registry === processSecrets ? redactSecrets : (s: string) => registry.redact(s);
  let chain: Promise<void> = Promise.resolve();
  let jujuLogBroken = false;

  const destination = {
    write(line: string): void {
      const clean = redact(line);
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(clean) as Record<string, unknown>;
      } catch {
        stderr.write(clean.endsWith('\n') ? clean : `${clean}\n`);
        return;
      }
      const lvl = typeof record['level'] === 'number' ? record['level'] : 30;
      const text = formatRecord(record);
      if (lvl >= stderrLevel || options.runner === undefined || jujuLogBroken)
        stderr.write(`${jujuLevel(lvl)} ${text}\n`);
      const runner = options.runner;
      if (runner !== undefined && !jujuLogBroken) {
        chain = chain.then(() =>
          jujuLog(runner, jujuLevel(lvl), text).catch((err: unknown) => {
            jujuLogBroken = true;
            stderr.write(
              `WARNING juju-log is unavailable, logging to stderr only: ${redact((err as Error).message)}\n`,
            );
            if (lvl < stderrLevel) stderr.write(`${jujuLevel(lvl)} ${text}\n`);
          }),
        );
      }
    },
  };
  const logger = pino(
    {
      level,
      base: options.bindings ?? null,
      timestamp: false,
      redact: { paths: REDACTED_KEYS.flatMap((k) => [`["${k}"]`, `*["${k}"]`]), censor: '[REDACTED]' },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
  return { logger, flush: () => chain };
}
