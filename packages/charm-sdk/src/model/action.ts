import { Ajv, type ErrorObject } from 'ajv';
import type { z } from 'zod';
import { CharmError } from '../errors.js';
import {
  actionFail,
  actionGet,
  actionLog,
  actionSet,
  type ActionResults,
  type ActionSetOptions,
} from '../hook-tools/action.js';
import type { HookToolRunner } from '../hook-tools/runner.js';
import type { ActionMeta } from '../meta/schema.js';

/** The JSON schema Juju validates an action's params against. */
export function actionParamsSchema(meta: ActionMeta, jujuVersion: string): Record<string, unknown> {
  const major = Number(jujuVersion.split('.')[0]);
  return {
    type: 'object',
    properties: meta.params ?? {},
    required: meta.required ?? [],
    additionalProperties: meta.additionalProperties ?? !(major >= 4),
  };
}

/** Checks params against the action's schema; returns a message per violation. */
export function validateActionParams(meta: ActionMeta, jujuVersion: string, params: Record<string, unknown>): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(actionParamsSchema(meta, jujuVersion));
  if (validate(params)) return [];
  return (validate.errors ?? []).map(describe);
}

function describe(e: ErrorObject): string {
  const where = e.instancePath === '' ? '' : `param "${e.instancePath.slice(1).replaceAll('/', '.')}" `;
  if (e.keyword === 'additionalProperties') return `unknown param "${String(e.params['additionalProperty'])}"`;
  if (e.keyword === 'required') return `missing required param "${String(e.params['missingProperty'])}"`;
  return `${where}${e.message ?? 'is invalid'}`;
}

/** The running action: params, results, progress and failure. */
export class ActionContext {
  #params: Promise<Record<string, unknown>> | undefined;
  #failed = false;

  constructor(
    private readonly runner: HookToolRunner,
    readonly name: string,
    readonly id: string,
    private readonly meta: ActionMeta | undefined,
    private readonly jujuVersion: string,
  ) {}

  /**
   * The params, checked against actions.yaml (and, when given, a zod schema for typing).
   * @throws {CharmError} `invalid-action-params` listing every violation.
   */
  async params<S extends z.ZodType = z.ZodType<Record<string, unknown>>>(schema?: S): Promise<z.infer<S>> {
    this.#params ??= actionGet(this.runner);
    const raw = await this.#params;
    const problems = this.meta === undefined ? [] : validateActionParams(this.meta, this.jujuVersion, raw);
    if (schema !== undefined) {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) problems.push(...parsed.error.issues.map((i) => `param "${i.path.join('.')}" ${i.message}`));
      else if (problems.length === 0) return parsed.data;
    }
    if (problems.length > 0) {
      throw new CharmError('invalid-action-params', `cannot run action ${this.name}: ${problems.join('; ')}`, {
        action: this.name,
        problems,
      });
    }
    return raw as z.infer<S>;
  }

  /** Sets results (nested objects become dotted keys); `reveal` names keys that may carry a secret. */
  setResults(results: ActionResults, options: ActionSetOptions = {}): Promise<void> {
    return actionSet(this.runner, results, options);
  }

  log(message: string): Promise<void> {
    return actionLog(this.runner, message);
  }

  /** Marks the action failed; the hook still exits 0 so the unit stays healthy. */
  async fail(message: string): Promise<void> {
    this.#failed = true;
    await actionFail(this.runner, message);
  }

  get failed(): boolean {
    return this.#failed;
  }
}
