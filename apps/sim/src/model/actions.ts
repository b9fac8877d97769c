/** Queuing actions (`charm-sim run`) with Juju's param validation. */
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import {
  isoNow,
  type Change,
  type OpOptions,
  JujuModelError,
  type Model,
  clone,
  getApp,
  getUnit,
} from '@charms/juju-model';

const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false });

/**
 * Validates params against the action's JSON schema (filling in defaults) and queues the action.
 * Throws `bad-action` for an unknown action, bad params or a unit that is not alive.
 */
export function enqueueAction(
  model: Model,
  unit: string,
  name: string,
  params: Record<string, unknown>,
  o?: OpOptions,
): Change & { actionId: string } {
  const u = getUnit(model, unit);
  const app = getApp(model, u.app);
  const spec = app.charm.actions[name];
  if (!spec) {
    const known = Object.keys(app.charm.actions).sort().join(', ') || 'none';
    throw new JujuModelError(
      'bad-action',
      `cannot run "${name}" on ${unit}: the charm defines no such action (actions: ${known})`,
      { unit, action: name },
    );
  }
  if (u.life !== 'alive')
    throw new JujuModelError('bad-action', `cannot run "${name}" on ${unit}: the unit is ${u.life}`, {
      unit,
      action: name,
    });
  const schema = {
    type: 'object',
    properties: spec.params ?? {},
    required: spec.required ?? [],
    additionalProperties: spec.additionalProperties ?? !model.jujuVersion.startsWith('4.'),
  };
  const filled = structuredClone(params);
  const validate = ajv.compile(schema);
  if (!validate(filled)) {
    const why = (validate.errors ?? [])
      .map(
        (e) =>
          `${e.instancePath || 'params'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` "${String(e.params.additionalProperty)}"` : ''}`,
      )
      .join('; ');
    throw new JujuModelError('bad-action', `cannot run "${name}" on ${unit}: invalid params: ${why}`, {
      unit,
      action: name,
    });
  }
  const m = clone(model);
  const id = String(++m.counters.action);
  m.actions[id] = {
    id,
    unit,
    name,
    params: filled,
    status: 'pending',
    message: '',
    results: {},
    log: [],
    enqueued: isoNow(o),
    started: null,
    completed: null,
  };
  return { model: m, actionId: id, effects: [{ type: 'wake', units: [unit] }] };
}

/** Parses `juju run` style `key=value` args: values are YAML scalars, dotted keys nest. */
export function parseActionArgs(args: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const arg of args) {
    const i = arg.indexOf('=');
    if (i < 1) throw new JujuModelError('bad-argument', `cannot parse action argument "${arg}": expected key=value`);
    const keys = arg.slice(0, i).split('.');
    let value: unknown;
    try {
      value = parseYaml(arg.slice(i + 1));
    } catch {
      value = arg.slice(i + 1);
    }
    let node = out;
    for (const k of keys.slice(0, -1)) {
      const next = node[k];
      node = (typeof next === 'object' && next !== null && !Array.isArray(next) ? next : (node[k] = {})) as Record<
        string,
        unknown
      >;
    }
    node[keys[keys.length - 1]!] = value ?? '';
  }
  return out;
}
