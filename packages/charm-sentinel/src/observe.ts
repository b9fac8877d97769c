import type { EventInput } from '@charms/event-log';
import {
  hookFacts,
  stateGet,
  unitAddress,
  type Container,
  type HookWorld,
  type JujuContext,
  type Model,
} from '@charms/charm-sdk';
import { readTlsResources } from '@charms/charm-sdk/redis';
import { z } from 'zod';
import { credentialsFor } from './credentials.js';
import { isSentinelError } from './errors.js';
import type {
  CredentialFacts,
  NoticeFacts,
  Observed,
  PeerFacts,
  RedisRelationFacts,
  SentinelEvents,
} from './events.js';
import { CONTAINER, MYID_KEY, PEER_ENDPOINT, REDIS_ENDPOINT, SENTINEL_PORT, SERVICE } from './paths.js';
import { PEER_KEYS } from './plan.js';
import { FAILOVER_NOTICE_KEY } from './reconfig-script.js';
import { MasterName, parseRedisAppBag } from './relation-data.js';
import { withSentinel, type SentinelConnector, type SentinelEndpoint } from './sentinel-client.js';
import type { SentinelView } from './sentinel-view.js';
import type { ClientTls, TlsFacts, TlsResourceName } from './tls.js';

/** Seams of {@link observe}. */
export interface ObserveSeams {
  connector: SentinelConnector;
  /** A fresh 40-hex-digit sentinel id. */
  newId: () => string;
}

async function observePeers(model: Model, context: JujuContext): Promise<PeerFacts[]> {
  const relation = await model.relation(PEER_ENDPOINT);
  if (relation === undefined) return [];
  const departing = context.relation?.endpoint === PEER_ENDPOINT ? context.relation.departingUnit : undefined;
  const units = relation.units.filter((u) => u !== departing && u !== model.unitName);
  return Promise.all(
    units.map(async (unit) => {
      const bag = await relation.unitData(unit).catch((e: unknown) => {
        if (notInScope(e)) return {} as Record<string, string>;
        throw e;
      });
      return {
        unit,
        address: unitAddress(bag),
        myid: bag[PEER_KEYS.myid] ?? null,
      };
    }),
  );
}

/** Juju refuses relation data to a unit that has not entered the relation's scope yet. */
export function notInScope(e: unknown): boolean {
  return (e as { code?: string }).code === 'permission-denied';
}

async function observeRedis(model: Model, context: JujuContext): Promise<RedisRelationFacts | null> {
  const relation = await model.relation(REDIS_ENDPOINT);
  if (relation === undefined) return null;
  const departing = context.relation?.endpoint === REDIS_ENDPOINT ? context.relation.departingUnit : undefined;
  const units = relation.units.filter((u) => u !== departing);
  try {
    const [appData, published, addresses] = await Promise.all([
      relation.appData(),
      model.isLeader().then((leader) => (leader ? relation.appData(model.appName) : null)),
      Promise.all(
        units.map(async (unit) => {
          const bag = await relation.unitData(unit).catch((e: unknown) => {
            if (notInScope(e)) return {} as Record<string, string>;
            throw e;
          });
          return [unit, unitAddress(bag)] as const;
        }),
      ),
    ]);
    return {
      id: relation.id,
      joined: true,
      app: relation.app ?? null,
      units,
      unitAddresses: Object.fromEntries(addresses),
      appData,
      published,
    };
  } catch (e) {
    if (!notInScope(e)) throw e;
    return {
      id: relation.id,
      joined: false,
      app: relation.app ?? null,
      units,
      appData: {},
      published: null,
    };
  }
}

async function observeCredentials(model: Model, secretId: string): Promise<z.input<typeof CredentialFacts>> {
  const found = await credentialsFor(model, secretId);
  if (!found.ok) return { ok: false, secretId, problem: found.problem };
  return { ok: true, secretId, password: found.secrets.password, sentinelPassword: found.secrets.sentinelPassword };
}

async function observePebble(container: Container): Promise<Observed['pebble']> {
  const seen = await container.observe();
  if (!seen.reachable) return { ...seen, service: null };
  const services = await container.pebble.getServices({ names: [SERVICE] });
  return { ...seen, service: services.find((s) => s.name === SERVICE)?.current ?? null };
}

/** Digests of this charm's TLS resources and what is wrong with them against redis-k8s's CA (no key content). */
function observeTls(model: Model, ca: string | undefined): Promise<TlsFacts> {
  return readTlsResources<TlsResourceName>(model, { cert: 'cert-file', key: 'key-file' }, { ca });
}

/** The TLS a client of this unit's sentinel needs when redis-k8s serves TLS (sentinel then does too). */
export function bagClientTls(appData: Record<string, string> | undefined): ClientTls | undefined {
  const parsed = parseRedisAppBag(appData ?? {});
  if (!parsed.ok || parsed.bag.tls !== 'true' || parsed.bag['tls-ca'] === undefined) return undefined;
  return { ca: parsed.bag['tls-ca'] };
}

/** Asks the local sentinel for its id and master; a failure is a fact too. */
export async function observeSentinel(
  connector: SentinelConnector,
  endpoint: SentinelEndpoint,
  masterName: string,
  timeoutMs = 2000,
): Promise<SentinelView> {
  try {
    return await withSentinel(connector, endpoint, timeoutMs, async (s) => {
      const [myid, address, master, quorum] = await Promise.all([
        s.myid(),
        s.masterAddress(masterName),
        s.master(masterName),
        s.ckquorum(masterName),
      ]);
      return { ok: true as const, myid, address, master, quorum };
    });
  } catch (e) {
    if (isSentinelError(e)) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

const NoticeData = z.record(z.string(), z.string());

async function observeNotice(container: Container, id: string): Promise<NoticeFacts> {
  const notice = await container.pebble.getNotice(id);
  return {
    id,
    key: notice.key,
    occurrences: notice.occurrences,
    lastRepeated: notice.lastRepeated,
    data: NoticeData.parse(notice.lastData ?? {}),
  };
}

/** Gathers the facts this hook reveals (secret values only as digests in the recorded event). */
export async function observe(world: HookWorld, seams: ObserveSeams): Promise<EventInput<SentinelEvents>> {
  const { context, model } = world;
  const container = world.container(CONTAINER);
  const [config, leader, address, storedId, peers, redis, pebble] = await Promise.all([
    model.rawConfig(),
    model.isLeader(),
    model.address(PEER_ENDPOINT).catch(() => undefined),
    stateGet(model.runner, MYID_KEY),
    observePeers(model, context),
    observeRedis(model, context),
    observePebble(container),
  ]);
  const secretId = redis?.appData['secret-id'];
  const credentials = secretId === undefined || secretId === '' ? null : await observeCredentials(model, secretId);
  const masterName = MasterName.safeParse(redis?.appData['master-name']);
  const clientTls = bagClientTls(redis?.appData);
  const tls = redis?.appData['tls'] === 'true' ? await observeTls(model, clientTls?.ca) : null;
  let sentinel: SentinelView | null = null;
  if (pebble.service === 'active' && address !== undefined && masterName.success && secretId !== undefined) {
    const found = await credentialsFor(model, secretId);
    if (found.ok)
      sentinel = await observeSentinel(
        seams.connector,
        {
          host: address,
          port: SENTINEL_PORT,
          password: found.secrets.sentinelPassword,
          ...(clientTls === undefined ? {} : { tls: clientTls }),
        },
        masterName.data,
      );
  }
  const notice =
    context.notice !== undefined && context.notice.key === FAILOVER_NOTICE_KEY && pebble.reachable
      ? await observeNotice(container, context.notice.id)
      : null;
  const validId = storedId !== null && /^[0-9a-f]{40}$/.test(storedId);
  return {
    type: 'hook',
    payload: {
      facts: hookFacts(context),
      config,
      leader,
      address: address ?? null,
      myid: validId ? { value: storedId, stored: true } : { value: seams.newId(), stored: false },
      peers,
      redis,
      credentials,
      pebble,
      sentinel,
      notice,
      tls,
    },
  };
}
