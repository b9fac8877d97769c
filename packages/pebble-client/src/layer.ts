import { CORE_SCHEMA, load as loadYamlFast } from 'js-yaml';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { parseGoDuration } from './duration.js';
import { describeZodError } from './request.js';

/** Layer schemas (reference section 2). Keys are Pebble's own kebab-case names, so layers round-trip as YAML. */

const override = z.enum(['merge', 'replace']);
const duration = z.string().refine((s) => parseGoDuration(s) !== undefined, {
  message: 'must be a Go duration such as "500ms", "10s" or "1m30s"',
});
// Pebble decodes any YAML scalar into a string field.
const str = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const strMap = z.record(z.string(), str);
const names = z.array(z.string());
const action = z.enum(['restart', 'shutdown', 'ignore', 'failure-shutdown', 'success-shutdown']);

export const serviceSchema = z.strictObject({
  override,
  summary: z.string().optional(),
  description: z.string().optional(),
  startup: z.enum(['enabled', 'disabled']).optional(),
  command: z.string().optional(),
  after: names.optional(),
  before: names.optional(),
  requires: names.optional(),
  workload: z.string().optional(),
  environment: strMap.optional(),
  'user-id': z.int().optional(),
  user: z.string().optional(),
  'group-id': z.int().optional(),
  group: z.string().optional(),
  'working-dir': z.string().optional(),
  'on-success': action.exclude(['success-shutdown']).optional(),
  'on-failure': action.exclude(['failure-shutdown']).optional(),
  'on-check-failure': z.record(z.string(), action.exclude(['failure-shutdown'])).optional(),
  'backoff-delay': duration.optional(),
  'backoff-factor': z.number().min(1, 'must be 1.0 or greater').optional(),
  'backoff-limit': duration.optional(),
  'kill-delay': duration.optional(),
});
/** A service entry of a layer or plan. */
export type Service = z.output<typeof serviceSchema>;

export const checkSchema = z.strictObject({
  override,
  level: z.enum(['alive', 'ready']).optional(),
  startup: z.enum(['enabled', 'disabled']).optional(),
  period: duration.optional(),
  timeout: duration.optional(),
  threshold: z.int().nonnegative().optional(),
  http: z.strictObject({ url: z.string().optional(), headers: strMap.optional() }).optional(),
  tcp: z.strictObject({ port: z.int().optional(), host: z.string().optional() }).optional(),
  exec: z
    .strictObject({
      command: z.string().optional(),
      'service-context': z.string().optional(),
      environment: strMap.optional(),
      'user-id': z.int().optional(),
      user: z.string().optional(),
      'group-id': z.int().optional(),
      group: z.string().optional(),
      'working-dir': z.string().optional(),
    })
    .optional(),
});
/** A check entry of a layer or plan. */
export type Check = z.output<typeof checkSchema>;

export const logTargetSchema = z.strictObject({
  override,
  type: z.union([z.enum(['loki', 'opentelemetry', 'syslog']), z.literal('')]).optional(),
  location: z.string().optional(),
  services: names.optional(),
  labels: strMap.optional(),
});
/** A log-targets entry of a layer or plan. */
export type LogTarget = z.output<typeof logTargetSchema>;

export const workloadSchema = z.strictObject({
  override,
  environment: strMap.optional(),
  'user-id': z.int().optional(),
  user: z.string().optional(),
  'group-id': z.int().optional(),
  group: z.string().optional(),
});
/** A workloads entry (Pebble 1.20+). */
export type Workload = z.output<typeof workloadSchema>;

function named<T extends z.ZodType>(kind: string, entry: T, reserved: readonly string[] = []) {
  return z.record(z.string(), entry).superRefine((record, ctx) => {
    for (const name of Object.keys(record)) {
      if (name === '' || name.startsWith('-'))
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `${kind} names must be non-empty and must not start with "-"`,
        });
      else if (reserved.includes(name))
        ctx.addIssue({ code: 'custom', path: [name], message: `${kind} name "${name}" is reserved` });
    }
  });
}

const sections = {
  services: named('service', serviceSchema, ['pebble']).optional(),
  checks: named('check', checkSchema).optional(),
  'log-targets': named('log target', logTargetSchema).optional(),
  workloads: named('workload', workloadSchema).optional(),
  pairing: z.record(z.string(), z.unknown()).optional(),
};

export const layerSchema = z.strictObject({
  summary: z.string().optional(),
  description: z.string().optional(),
  ...sections,
});
/** A Pebble layer, as written in YAML. */
export type Layer = z.output<typeof layerSchema>;
/** What a caller may pass where a layer is expected (scalars in string maps are accepted). */
export type LayerInput = z.input<typeof layerSchema>;

export const planSchema = z.strictObject(sections).transform((p) => ({
  ...p,
  services: p.services ?? {},
  checks: p.checks ?? {},
  'log-targets': p['log-targets'] ?? {},
}));
/** The combined plan (`GET /v1/plan`); `services`, `checks` and `log-targets` are always present. */
export type Plan = z.output<typeof planSchema>;

function loadYaml(text: string, what: string, parse: (text: string) => unknown = parseYaml): unknown {
  try {
    return parse(text) ?? {};
  } catch (err) {
    throw new TypeError(
      `cannot parse ${what} YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    );
  }
}

/**
 * Validate a layer given as YAML text or an object, the way Pebble does (unknown keys rejected,
 * `override` required on every entry).
 * @throws {TypeError} naming the offending field, e.g. `services.redis.override: ...`.
 */
export function parseLayer(input: string | LayerInput): Layer {
  const raw = typeof input === 'string' ? loadYaml(input, 'layer') : input;
  const parsed = layerSchema.safeParse(raw);
  if (!parsed.success) throw new TypeError(`cannot parse layer: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/**
 * The plan comes back on every `getPlan`, so it is read with js-yaml, about 5x faster than `yaml` on a
 * plan of a few services (`yaml` builds a full document model first; get plan was 1.8x Go's p50). The
 * YAML 1.2 core schema, as `yaml` uses: no timestamps, merge keys or binary; duplicate keys are errors.
 */
const loadPlanYaml = (text: string): unknown => loadYamlFast(text, { schema: CORE_SCHEMA });

/**
 * Parse plan YAML (as `GET /v1/plan?format=yaml` returns it).
 * @throws {TypeError} when the text is not a valid plan.
 */
export function parsePlan(text: string): Plan {
  const parsed = planSchema.safeParse(loadYaml(text, 'plan', loadPlanYaml));
  if (!parsed.success) throw new TypeError(`cannot parse plan: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** Serialise a layer (or plan) to YAML text that Pebble accepts. */
export function layerToYaml(layer: LayerInput | Plan): string {
  return stringifyYaml(layer, { lineWidth: 0 });
}
