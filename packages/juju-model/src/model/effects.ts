/** What model operations return: the new model and the effects the runtime must carry out. */
import type { Model } from './schema.js';

/** Log levels of debug-log lines (juju-log levels plus hook output streams). */
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** One debug-log line: juju-log from a hook tool, or a model-level event. */
export interface LogEntry {
  time: string;
  unit: string;
  /** Hook or action name the line came from; empty for model-level lines. */
  hook: string;
  level: LogLevel;
  /** Juju's logger name, e.g. `unit.redis/0.juju-log`. */
  logger: string;
  message: string;
}

/** Something the runtime must do or know after an operation. */
export type Effect =
  /** Append to debug-log. */
  | { type: 'log'; entry: LogEntry }
  /** These units may have a new next hook: call nextHook for them. */
  | { type: 'wake'; units: string[] }
  /** stop ran for a refresh or attach-resource: recreate the pod, then call markPodRecreated. */
  | { type: 'recreate-pod'; unit: string }
  /** The unit is dead and gone from the model: tear its pod down and free its storage. */
  | { type: 'unit-removed'; unit: string; storage: string[] }
  /** An action reached completed or failed. */
  | { type: 'action-finished'; actionId: string }
  /**
   * resource-get: before replying to the tool, put the resource at `to` (a charm-container
   * path): copy host file `from`, or write `content` (oci-image details) when `from` is null.
   */
  | { type: 'fetch-resource'; unit: string; resource: string; from: string | null; content: string | null; to: string };

/** The result of every model operation: a new Model (the input is never mutated) and effects. */
export interface Change {
  model: Model;
  effects: Effect[];
}

/** Injected seams of model operations. */
export interface OpOptions {
  /** Clock; defaults to the current time. */
  now?: Date;
}

/** ISO time of `opts.now` or the current time. */
export function isoNow(opts?: OpOptions): string {
  return (opts?.now ?? new Date()).toISOString();
}
