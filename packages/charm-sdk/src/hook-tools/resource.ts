import { runTool, type HookToolRunner } from './runner.js';

/** Local path of a file resource, fetching it if needed: `resource-get <name>`. */
export async function resourceGet(runner: HookToolRunner, name: string): Promise<string> {
  const out = await runTool(runner, 'resource-get', [name]);
  return out.replace(/\r?\n$/, '');
}
