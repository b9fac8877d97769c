/** Creating and loading a model. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { JujuModelError, Model } from '@charms/juju-model';

/** Options of {@link createModel}. */
export interface CreateModelOptions {
  /** Model name; also the K8s namespace in pod FQDNs. */
  name: string;
  uuid?: string;
  /** JUJU_VERSION reported to charms; default 3.6.8. */
  jujuVersion?: string;
  /** Second octet of pod addresses (default 1); the runtime claims one per model host-wide. */
  subnet?: number;
}

/** A new, empty model. */
export function createModel(opts: CreateModelOptions): Model {
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(opts.name)) {
    throw new JujuModelError(
      'bad-argument',
      `cannot create model "${opts.name}": the name must be lowercase letters, digits and dashes`,
    );
  }
  return {
    version: 1,
    name: opts.name,
    uuid: opts.uuid ?? randomUUID(),
    jujuVersion: opts.jujuVersion ?? '3.6.8',
    subnet: opts.subnet ?? 1,
    secretTimeScale: 1,
    counters: { relation: 0, action: 0, storage: 0, address: 0, secret: 0 },
    apps: {},
    units: {},
    relations: {},
    storage: {},
    secrets: {},
    actions: {},
  };
}

/** Parses a persisted model; `where` names the file in the error. Throws `bad-model-file`. */
export function parseModel(json: unknown, where: string): Model {
  const r = Model.safeParse(json);
  if (!r.success) {
    throw new JujuModelError(
      'bad-model-file',
      `cannot load the model from ${where}: ${z.prettifyError(r.error)}\nRemove the model directory to start over.`,
      {
        where,
      },
    );
  }
  return r.data;
}
