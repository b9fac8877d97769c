import {
  events,
  plan,
  projection,
  RedisConfig,
  type ConfEntry,
  type RedisDesired,
  type RedisEvents,
  type RedisState,
  type WorkloadSpec,
} from '@charms/charm-redis';
import type { LoggedEvent } from '@charms/event-log';
import { defineReplayCharm, describeFailure, describeHook } from './adapter.js';

/** One line for a redis-k8s record. */
function summarize(event: LoggedEvent<RedisEvents>): string {
  switch (event.type) {
    case 'hook': {
      const p = event.payload;
      const role = p.leader ? 'leader' : 'follower';
      return `${describeHook(p.facts)}: ${role}, pebble ${p.pebble.reachable ? 'up' : 'down'}`;
    }
    case 'workload-observed': {
      const p = event.payload;
      const did: string[] = [];
      if (p.secretCreated !== undefined) did.push('created the password secret');
      if (p.layerChanged) did.push('changed the layer');
      if (p.restarted.length > 0) did.push(`restarted ${p.restarted.join(', ')}`);
      if (p.started.length > 0) did.push(`started ${p.started.join(', ')}`);
      if (p.filesPushed.length > 0) did.push(`pushed ${p.filesPushed.join(', ')}`);
      const live = Object.keys(p.liveConfig);
      if (live.length > 0) did.push(`CONFIG SET ${live.join(', ')}`);
      if (p.replicaOf !== undefined) did.push(`REPLICAOF ${p.replicaOf}`);
      const v = p.verification;
      const verified =
        v === undefined
          ? ''
          : `; verified ${v.ok ? 'ok' : 'FAILED'}: expected ${v.expected}, saw ${v.role ?? 'nothing'}${v.error === undefined ? '' : ` (${v.error})`}`;
      return `reconciled: ${did.length === 0 ? 'nothing to change' : did.join(', ')}${verified}`;
    }
    case 'hook-failed':
      return describeFailure(event.payload);
  }
}

/** redis.conf entries by directive (a repeated directive as `name#2`, ...), so changes read `conf.maxmemory`. */
function confByKey(entries: readonly ConfEntry[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of entries) {
    let key = e.key;
    for (let n = 2; Object.hasOwn(out, key); n++) key = `${e.key}#${n}`;
    out[key] = e.value;
  }
  return out;
}

/** The planner's output with redis.conf entries keyed by directive. */
type RedisView = Omit<RedisDesired, 'workload'> & {
  workload: (Omit<WorkloadSpec, 'conf'> & { conf: Record<string, unknown> }) | null;
};

/** redis-k8s as charm-replay sees it. */
export const redisReplay = defineReplayCharm<RedisEvents, RedisState, RedisDesired, RedisView>({
  name: 'redis-k8s',
  events,
  projection,
  plan,
  view: (d) => ({ ...d, workload: d.workload === null ? null : { ...d.workload, conf: confByKey(d.workload.conf) } }),
  config: RedisConfig,
  areas: {
    restart: {
      meaning:
        'the Pebble layer of redis-server (it carries the digest of redis.conf settings that need a restart), so a change restarts redis-server',
      pick: (d) => d.workload?.layer ?? null,
    },
    files: {
      meaning: 'redis.conf and the TLS files the charm pushes',
      pick: (d) => (d.workload === null ? null : { conf: d.workload.conf, tls: d.workload.tls }),
    },
    relation: { meaning: 'what the charm writes to relation bags', pick: (d) => d.relationData },
    status: {
      meaning: 'the unit and application status',
      pick: (d) => ({ unit: d.unitStatus ?? null, app: d.appStatus ?? null }),
    },
    primary: {
      meaning: "this unit's replication role",
      pick: (d) => (d.workload === null ? d.roleText : { role: d.roleText, desired: d.workload.role }),
    },
  },
  summarize,
});
