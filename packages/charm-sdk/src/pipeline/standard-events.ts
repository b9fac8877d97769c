import { z } from 'zod';
import { defineEventSchema, type EventDefinitions, type EventSchema } from '@charms/event-log';
import type { JujuContext } from '../context/juju-context.js';

/** Stages of the hook pipeline, in order. */
export const STAGES = ['context', 'open-log', 'observe', 'record', 'fold', 'plan', 'reconcile', 'verify'] as const;
export type Stage = (typeof STAGES)[number];

/** Payload of the kit's `hook-failed` event. */
export const HookFailedPayload = z.object({
  hook: z.string(),
  stage: z.enum(STAGES),
  /** Seq of the hook's own event, when it was recorded before the failure. */
  eventSeq: z.number().int().nullable(),
  error: z.object({ name: z.string(), code: z.string(), message: z.string() }),
});
export type HookFailedPayload = z.infer<typeof HookFailedPayload>;

/** Event definitions every charm's schema includes (spread them into `defineEventSchema`). */
export const standardEventDefinitions = {
  'hook-failed': { version: 1, schema: HookFailedPayload },
} as const;

/** The facts every hook reveals through its environment, as JSON (no secret values). */
export const HookFacts = z.object({
  name: z.string(),
  kind: z.string(),
  unit: z.string(),
  app: z.string(),
  jujuVersion: z.string(),
  endpoint: z.string().optional(),
  relationId: z.number().int().optional(),
  remoteApp: z.string().optional(),
  remoteUnit: z.string().optional(),
  departingUnit: z.string().optional(),
  container: z.string().optional(),
  storage: z.string().optional(),
  action: z.string().optional(),
  actionId: z.string().optional(),
  notice: z.object({ id: z.string(), type: z.string(), key: z.string() }).optional(),
  check: z.string().optional(),
  secretId: z.string().optional(),
  secretLabel: z.string().optional(),
  secretRevision: z.number().int().optional(),
});
export type HookFacts = z.infer<typeof HookFacts>;

/** The hook's facts from the Juju context; secrets appear only as ids. */
export function hookFacts(ctx: JujuContext): HookFacts {
  const e = ctx.event;
  const facts: HookFacts = {
    name: e.name,
    kind: e.kind,
    unit: ctx.unitName,
    app: ctx.appName,
    jujuVersion: ctx.jujuVersion,
  };
  const set = <K extends keyof HookFacts>(k: K, v: HookFacts[K] | undefined) => {
    if (v !== undefined) facts[k] = v;
  };
  set('endpoint', ctx.relation?.endpoint ?? (e.family === 'relation' ? e.endpoint : undefined));
  set('relationId', ctx.relation?.id);
  set('remoteApp', ctx.relation?.remoteApp);
  set('remoteUnit', ctx.relation?.remoteUnit);
  set('departingUnit', ctx.relation?.departingUnit);
  set('container', ctx.workload?.container);
  set('storage', ctx.storage?.id);
  set('action', ctx.action?.name);
  set('actionId', ctx.action?.id);
  set('notice', ctx.notice);
  set('check', ctx.check?.name);
  set('secretId', ctx.secret?.id);
  set('secretLabel', ctx.secret?.label);
  set('secretRevision', ctx.secret?.revision);
  return facts;
}

/** The charm's event schema: its own definitions plus the kit's standard ones. */
export function defineCharmEvents<const D extends EventDefinitions>(
  definitions: D,
): EventSchema<D & typeof standardEventDefinitions> {
  return defineEventSchema({ ...definitions, ...standardEventDefinitions });
}
