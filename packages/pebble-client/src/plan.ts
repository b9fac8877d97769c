import { ProtocolError } from './errors.js';
import { layerToYaml, parseLayer, parsePlan, type LayerInput, type Plan } from './layer.js';
import { anyResult, stringResult, type CallOptions } from './request.js';
import type { Transport } from './transport.js';

/** `GET /v1/plan?format=yaml`, parsed into a typed {@link Plan}. */
export async function getPlan(t: Transport, options: CallOptions = {}): Promise<Plan> {
  const text = await getPlanYaml(t, options);
  try {
    return parsePlan(text);
  } catch (err) {
    throw new ProtocolError(
      { message: `cannot use plan from GET /v1/plan: ${err instanceof Error ? err.message : String(err)}` },
      { cause: err },
    );
  }
}

/** The combined plan as Pebble prints it (YAML text). */
export function getPlanYaml(t: Transport, options: CallOptions = {}): Promise<string> {
  return t.sync('GET', '/v1/plan', { ...options, query: { format: 'yaml' }, schema: stringResult() });
}

export interface AddLayerOptions extends CallOptions {
  /** Merge into the existing layer with this label instead of failing with 400 "already exists". */
  combine?: boolean | undefined;
  /** Insert a `dir/label` layer into an existing sub-directory group (Pebble 1.17+). */
  inner?: boolean | undefined;
}

/**
 * `POST /v1/layers`: add (or with `combine`, merge into) the layer `label`. The layer may be YAML text
 * or an object; objects are validated first. Nothing is started: call `replanServices` afterwards.
 * @throws {TypeError} when an object layer is invalid; APIError (400) when Pebble rejects the layer.
 */
export async function addLayer(
  t: Transport,
  label: string,
  layer: string | LayerInput,
  options: AddLayerOptions = {},
): Promise<void> {
  const { combine, inner, ...call } = options;
  const text = typeof layer === 'string' ? layer : layerToYaml(parseLayer(layer));
  await t.sync('POST', '/v1/layers', {
    ...call,
    body: { action: 'add', label, format: 'yaml', layer: text, combine: combine ?? false, inner: inner ?? false },
    schema: anyResult(),
  });
}
