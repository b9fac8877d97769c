import { createWriteStream, type WriteStream } from 'node:fs';
import { z } from 'zod';
import type { LogEntry, LogLevel } from '../model/api.js';

/** One line of `<model-dir>/debug-log.jsonl`, as the CLI parses it. */
export const DebugLogLine = z.object({
  time: z.string(),
  unit: z.string(),
  hook: z.string(),
  level: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']),
  logger: z.string(),
  message: z.string(),
});

/** Severity order of {@link LogLevel}s. */
export const LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

/** Appends debug-log lines (JSON, one per line) to the model's debug-log file. */
export class DebugLog {
  private readonly stream: WriteStream;

  constructor(path: string) {
    this.stream = createWriteStream(path, { flags: 'a' });
  }

  write(entry: LogEntry): void {
    this.stream.write(JSON.stringify(entry) + '\n');
  }

  /** Logs a model-level line (no unit). */
  model(level: LogLevel, message: string, unit = ''): void {
    this.write({
      time: new Date().toISOString(),
      unit,
      hook: '',
      level,
      logger: unit ? `unit.${unit}` : 'juju.sim',
      message,
    });
  }

  /** Resolves once every line written before this call is in the file. */
  flushed(): Promise<void> {
    if (this.stream.closed || this.stream.writableEnded) return Promise.resolve();
    // writes complete in order, so an empty write's callback comes after all earlier lines
    return new Promise((resolve) => this.stream.write('', () => resolve()));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
