/** Application config (`charm-sim config`) and the effective config charms read. */
import {
  type Charm,
  isoNow,
  type Change,
  type OpOptions,
  JujuModelError,
  type ConfigValue,
  type Model,
  clone,
  getApp,
  unitsOf,
} from '@charms/juju-model';

/** Converts a command-line value to the option's type. Throws `bad-config`. */
export function coerceConfigValue(charm: Charm, app: string, key: string, raw: string): ConfigValue {
  const opt = charm.config[key];
  if (!opt) {
    const known = Object.keys(charm.config).sort().join(', ') || 'none';
    throw new JujuModelError(
      'bad-config',
      `cannot set "${key}" on ${app}: the charm has no such option (options: ${known})`,
      { app, key },
    );
  }
  const bad = (want: string) =>
    new JujuModelError('bad-config', `cannot set "${key}" on ${app}: "${raw}" is not ${want}`, {
      app,
      key,
      value: raw,
    });
  switch (opt.type) {
    case 'int': {
      if (!/^[-+]?\d+$/.test(raw.trim())) throw bad('an int');
      return Number.parseInt(raw, 10);
    }
    case 'float': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw bad('a float');
      return n;
    }
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(v)) return true;
      if (['false', 'no', 'off', '0'].includes(v)) return false;
      throw bad('a boolean (true or false)');
    }
    case 'secret':
      if (raw !== '' && !/^secret:/.test(raw)) throw bad('a secret URI (secret:<id>)');
      return raw;
    default:
      return raw;
  }
}

/**
 * Sets config values given as strings (coerced to each option's type); null resets to the
 * default. Bumps the config version when anything changed, so every unit runs config-changed.
 */
export function setConfig(model: Model, app: string, values: Record<string, string | null>, o?: OpOptions): Change {
  const m = clone(model);
  const a = getApp(m, app);
  let changed = false;
  for (const [k, raw] of Object.entries(values)) {
    if (raw === null) {
      if (!(k in a.charm.config)) coerceConfigValue(a.charm, app, k, '');
      if (k in a.config) {
        delete a.config[k];
        changed = true;
      }
      continue;
    }
    const v = coerceConfigValue(a.charm, app, k, raw);
    if (a.config[k] !== v) {
      a.config[k] = v;
      changed = true;
    }
  }
  if (!changed) return { model, effects: [] };
  a.configVersion += 1;
  const units = unitsOf(m, app).map((u) => u.name);
  return {
    model: m,
    effects: [
      {
        type: 'log',
        entry: {
          time: isoNow(o),
          unit: '',
          hook: '',
          level: 'INFO',
          logger: 'juju.model',
          message: `config of ${app} changed`,
        },
      },
      { type: 'wake', units },
    ],
  };
}
