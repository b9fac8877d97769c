import {
  events,
  plan,
  projection,
  SentinelOptions,
  type SentinelDesired,
  type SentinelEvents,
  type SentinelState,
} from '@charms/charm-sentinel';
import type { LoggedEvent } from '@charms/event-log';
import { defineReplayCharm, describeFailure, describeHook } from './adapter.js';

/** One line for a redis-sentinel-k8s record. */
function summarize(event: LoggedEvent<SentinelEvents>): string {
  switch (event.type) {
    case 'hook': {
      const p = event.payload;
      const master = p.sentinel?.ok === true ? `; sentinel sees master ${p.sentinel.master?.ip ?? '?'}` : '';
      return `${describeHook(p.facts)}: ${p.leader ? 'leader' : 'follower'}, pebble ${p.pebble.reachable ? 'up' : 'down'}${master}`;
    }
    case 'sentinel-reconciled': {
      const p = event.payload;
      const did: string[] = [];
      if (p.rendered !== null) did.push('rendered sentinel.conf');
      if (p.restarted) did.push('restarted sentinel');
      if (p.started.length > 0) did.push(`started ${p.started.join(', ')}`);
      if (p.scriptPushed) did.push('pushed the reconfig script');
      if (p.set.length > 0) did.push(`SENTINEL SET ${p.set.join(', ')}`);
      if (p.reset) did.push('SENTINEL RESET');
      if (p.published !== null) did.push(`published primary ${p.published['primary-address'] ?? '?'}`);
      return `reconciled: ${did.length === 0 ? 'nothing to change' : did.join(', ')}`;
    }
    case 'hook-failed':
      return describeFailure(event.payload);
  }
}

/** redis-sentinel-k8s as charm-replay sees it. */
export const sentinelReplay = defineReplayCharm<SentinelEvents, SentinelState, SentinelDesired>({
  name: 'redis-sentinel-k8s',
  events,
  projection,
  plan,
  config: SentinelOptions,
  areas: {
    restart: {
      meaning: 'the Pebble layer and the sentinel.conf base (a new base is rendered and sentinel restarted), or a stop',
      pick: (d) => ({ layer: d.workload?.layer ?? null, confHash: d.workload?.hash ?? null, stop: d.stop ?? false }),
    },
    files: {
      meaning: 'sentinel.conf settings and the reconfig script',
      pick: (d) => (d.workload === undefined ? null : { conf: d.workload.conf, script: d.workload.script }),
    },
    relation: {
      meaning: 'what the charm writes to relation bags (the published primary, its peer bag)',
      pick: (d) => ({ publish: d.publish ?? null, peer: d.peerData ?? null }),
    },
    status: {
      meaning: 'the unit and application status',
      pick: (d) => ({ unit: d.unitStatus ?? null, app: d.appStatus ?? null }),
    },
    primary: {
      meaning: 'the primary this sentinel is told to monitor, and the one the leader publishes after a failover',
      pick: (d) => ({ monitor: d.workload?.conf.monitor ?? null, published: d.publish?.data ?? null }),
    },
  },
  summarize,
});
