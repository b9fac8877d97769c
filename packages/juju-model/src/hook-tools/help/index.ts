/** Every hook tool's help, and the help text for a running hook. */
import type { HookContext } from '../../model/context-types.js';
import { refusedHelp } from './help-refused.js';
import { relationHelp } from './help-relation.js';
import { secretHelp } from './help-secret.js';
import { unitHelp } from './help-unit.js';
import { renderHelp } from './render.js';
import type { HelpContext, ToolHelp } from './types.js';

export type { HelpContext, HelpOption, ToolHelp } from './types.js';
export { renderHelp } from './render.js';

/** Tool name -> its help facts (one entry per tool of the registry; a test checks both match). */
export const toolHelp: Record<string, ToolHelp> = { ...unitHelp, ...relationHelp, ...secretHelp, ...refusedHelp };

/** The parts of a running hook the help defaults come from. */
export function helpContext(ctx: HookContext): HelpContext {
  const info = ctx.spec.info;
  return {
    storageId: 'storageId' in info ? info.storageId : null,
    relation: 'relationId' in info ? { endpoint: info.endpoint, id: info.relationId } : null,
    remoteUnit: 'remoteUnit' in info && info.remoteUnit !== '' ? info.remoteUnit : null,
  };
}

/** `<tool> --help` in a hook: Juju's layout, with this hook's defaults; undefined for an unknown tool. */
export function helpText(tool: string, ctx: HookContext): string | undefined {
  const help = toolHelp[tool];
  return help ? renderHelp(tool, help, helpContext(ctx)) : undefined;
}
