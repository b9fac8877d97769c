import { callVoid } from './call.js';
import type { HookToolRunner } from './runner.js';

/** Levels juju-log accepts (Python level names). */
export type JujuLogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** Writes to the model log: `juju-log --log-level <LEVEL> -- <message>`. */
export function jujuLog(runner: HookToolRunner, level: JujuLogLevel, message: string): Promise<void> {
  return callVoid(runner, 'juju-log', ['--log-level', level, '--', message]);
}
