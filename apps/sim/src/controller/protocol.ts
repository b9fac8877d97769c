/**
 * CLI <-> controller protocol over `<model-dir>/controller.sock`: one request per connection, one line
 * of JSON; the controller answers with JSON lines: any number of `progress` messages, then exactly one
 * `result` or `error`.
 */
import { z } from 'zod';

const Str = z.string().min(1);

/** Every request the controller accepts. */
export const Request = z.discriminatedUnion('method', [
  z.object({ method: z.literal('ping') }),
  z.object({
    method: z.literal('deploy'),
    charm: Str,
    app: Str.optional(),
    units: z.number().int().min(0).max(100),
    config: z.record(z.string(), z.string()),
    resources: z.record(z.string(), z.string()),
    trust: z.boolean().optional(),
  }),
  z.object({ method: z.literal('add-unit'), app: Str, count: z.number().int().min(1).max(100) }),
  z.object({ method: z.literal('remove-unit'), units: z.array(Str).min(1) }),
  z.object({ method: z.literal('config'), app: Str, set: z.record(z.string(), z.string().nullable()) }),
  z.object({ method: z.literal('relate'), a: Str, b: Str }),
  z.object({ method: z.literal('unrelate'), a: Str, b: Str }),
  z.object({
    method: z.literal('run'),
    unit: Str,
    action: Str,
    args: z.array(z.string()),
    timeoutMs: z.number().int().positive(),
  }),
  z.object({ method: z.literal('attach-resource'), app: Str, name: Str, path: Str }),
  z.object({ method: z.literal('refresh'), app: Str, charm: Str }),
  z.object({ method: z.literal('resolved'), unit: Str, retry: z.boolean() }),
  z.object({ method: z.literal('status') }),
  z.object({ method: z.literal('kill-pod'), unit: Str }),
  z.object({ method: z.literal('wait'), timeoutMs: z.number().int().positive() }),
  z.object({ method: z.literal('destroy') }),
]);
export type Request = z.infer<typeof Request>;

/** A serialized JujuModelError. */
export const ErrorJSON = z.object({
  name: z.string(),
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).default({}),
});

/** One line of the controller's answer. */
export const Response = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), message: z.string() }),
  z.object({ type: z.literal('result'), value: z.unknown() }),
  z.object({ type: z.literal('error'), error: ErrorJSON }),
]);
export type Response = z.infer<typeof Response>;

/** `<model-dir>/controller.pid`: pid plus kernel start time, so nobody kills a recycled pid. */
export const ControllerPid = z.object({ pid: z.number().int().positive(), start: z.number() });
