import { appStatus, podFqdn, type Model, type Status } from '../model/api.js';
import type { StatusJson } from '../runtime/status-schema.js';
import { activity, type RuntimeFacts } from './settle.js';

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

function value(s: Status): { current: string; message: string; since: string } {
  return { current: s.status, message: s.message, since: s.since };
}

/** Builds the `status --format json` document from the model and the controller's runtime facts. Pure. */
export function buildStatus(model: Model, facts: RuntimeFacts, modelDir: string): StatusJson {
  const act = activity(model, facts);
  const applications: StatusJson['applications'] = {};
  for (const app of Object.values(model.apps).sort((a, b) => byName(a.name, b.name))) {
    const units = Object.values(model.units)
      .filter((u) => u.app === app.name)
      .sort((a, b) => a.number - b.number);
    const relations: Record<string, string[]> = {};
    for (const rel of Object.values(model.relations)) {
      const mine = rel.endpoints.find((e) => e.app === app.name);
      if (!mine) continue;
      const other = rel.endpoints.find((e) => e !== mine) ?? mine;
      (relations[mine.endpoint] ??= []).push(other.app);
    }
    for (const list of Object.values(relations)) list.sort(byName);
    applications[app.name] = {
      charm: app.charm.meta.name,
      'charm-path': app.charm.source,
      'charm-rev': app.charmRevision,
      scale: units.filter((u) => u.life === 'alive').length,
      'application-status': value(appStatus(model, app.name)),
      'workload-version': units.find((u) => u.name === app.leader)?.workloadVersion ?? units[0]?.workloadVersion ?? '',
      leader: app.leader,
      life: app.life,
      relations,
      units: Object.fromEntries(
        units.map((u) => {
          const pod = facts.pods.get(u.name);
          return [
            u.name,
            {
              'workload-status': value(u.workloadStatus),
              'juju-status': value(u.agentStatus),
              leader: app.leader === u.name,
              address: u.address,
              fqdn: podFqdn(model, u.name),
              'open-ports': [...u.ports],
              life: u.life,
              pod: pod?.phase ?? null,
              containers: Object.fromEntries(
                Object.entries(u.containers).map(([c, s]) => [
                  c,
                  {
                    'pebble-ready': s.bootIdSeen !== null && s.bootIdSeen === s.bootIdHandled,
                    'boot-id': s.bootIdSeen,
                  },
                ]),
              ),
              'running-hook': facts.running.get(u.name) ?? null,
              'failed-hook': u.failed ? { hook: u.failed.spec.name, attempts: u.failed.attempts } : null,
            },
          ];
        }),
      ),
    };
  }
  const relations = Object.values(model.relations)
    .sort((a, b) => a.id - b.id)
    .map((rel) => {
      const eps = [...rel.endpoints].sort((a, b) => (a.role === 'provider' ? -1 : b.role === 'provider' ? 1 : 0));
      return {
        id: rel.id,
        endpoints: eps.map((e) => `${e.app}:${e.endpoint}`),
        interface: eps[0]?.interface ?? '',
        type: (eps[0]?.role === 'peer' ? 'peer' : 'regular') as 'peer' | 'regular',
        life: rel.life,
      };
    });
  return {
    model: {
      name: model.name,
      uuid: model.uuid,
      'juju-version': model.jujuVersion,
      'model-dir': modelDir,
      settled: act.settled,
      activity: [...act.errors, ...act.busy],
    },
    applications,
    relations,
  };
}
