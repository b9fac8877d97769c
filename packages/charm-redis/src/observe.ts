import { hookFacts, unitAddress, type HookWorld, type Relation } from '@charms/charm-sdk';
import { readTlsResources } from '@charms/charm-sdk/redis';
import {
  type CheckFacts,
  type ClientFacts,
  type Observed,
  type PeerFacts,
  type SentinelFacts,
  type TlsFacts,
  type TlsResourceName,
} from './events.js';
import { CONTAINER } from './paths.js';
import { addressProblem, quoted } from './relation-address.js';

const EPOCH = /^\d{1,15}$/;

function epoch(value: string | undefined): number | undefined {
  return value !== undefined && EPOCH.test(value) ? Number(value) : undefined;
}

async function peerFacts(world: HookWorld): Promise<PeerFacts | null> {
  const rel = await world.model.relation('redis-peers');
  if (rel === undefined) return null;
  const units: Record<string, string | null> = {};
  await Promise.all(rel.units.map(async (u) => (units[u] = unitAddress(await rel.unitData(u)))));
  const bag = await rel.appData(world.model.appName);
  const app: PeerFacts['app'] = {};
  if (bag['primary']) app.primary = bag['primary'];
  if (bag['primary-address']) app.primaryAddress = bag['primary-address'];
  const e = epoch(bag['failover-epoch']);
  if (e !== undefined) app.failoverEpoch = e;
  if (bag['failover-source']) app.failoverSource = bag['failover-source'];
  if (bag['secret-id']) app.secretId = bag['secret-id'];
  if (bag['leader']) app.leader = bag['leader'];
  return { relationId: rel.id, units, app };
}

/**
 * One sentinel relation as far as it can be trusted: a related app writes what it likes, so a unit
 * address that is no IP or host name is recorded as unknown (null) and a failover report with a bad
 * epoch or address is dropped, each with a warning naming the key (values quoted and shortened: a
 * 1 MiB value never reaches the log or the event log).
 */
async function sentinelFacts(rel: Relation, world: HookWorld): Promise<SentinelFacts> {
  const who = `${rel.app ?? 'the sentinel app'} on ${rel.ref}`;
  // a bag too large to read (output-too-large) holds no report this unit can use; anything else fails the hook
  const bag = await rel.appData().catch((e: unknown) => {
    if ((e as { code?: string }).code !== 'output-too-large') throw e;
    world.logger.warn(`ignoring the application bag of ${who}: ${(e as Error).message}`);
    return {} as Record<string, string>;
  });
  const units = [...rel.units].sort();
  const addresses: Record<string, string | null> = {};
  await Promise.all(
    units.map(async (u) => {
      // a unit not yet in scope has no readable bag: no address until its relation-joined
      const raw = await rel.unitData(u).then(unitAddress, () => null);
      const problem = raw === null ? '' : addressProblem(raw);
      if (problem !== '') world.logger.warn(`ignoring the address of ${u} on ${rel.ref}: ${problem}`);
      addresses[u] = problem === '' ? raw : null;
    }),
  );
  const facts: SentinelFacts = { relationId: rel.id, app: rel.app ?? null, units, addresses };
  const rawEpoch = bag['failover-epoch'];
  const e = epoch(rawEpoch);
  if (rawEpoch !== undefined && e === undefined) {
    world.logger.warn(
      `ignoring the failover report of ${who}: failover-epoch ${quoted(rawEpoch)} is not a non-negative integer`,
    );
  }
  const primaryProblem = bag['primary-address'] ? addressProblem(bag['primary-address']) : '';
  if (primaryProblem !== '') {
    world.logger.warn(`ignoring the failover report of ${who}: primary-address ${primaryProblem}`);
  } else if (bag['primary-address'] && e !== undefined) {
    facts.primaryAddress = bag['primary-address'];
    facts.failoverEpoch = e;
  }
  return facts;
}

/** The TLS resources with what is wrong with them together (garbage, expired, a stray key or CA). */
function tlsFacts(world: HookWorld): Promise<TlsFacts> {
  const roles = { cert: 'cert-file', key: 'key-file', ca: 'ca-cert-file' } as const;
  return readTlsResources<TlsResourceName>(world.model, roles, { keepPem: ['ca-cert-file'] });
}

const CHECK_HOOKS = ['pebble-check-failed', 'pebble-check-recovered'];

/** The check a check hook is about, as Pebble counts it now (the hook's own view if Pebble cannot say). */
async function checkFacts(world: HookWorld, name: string, failed: boolean): Promise<CheckFacts> {
  try {
    const [info] = await world.container(CONTAINER).pebble.getChecks({ names: [name], timeout: 3000 });
    if (info !== undefined) return { name, status: info.status, failures: info.failures };
  } catch (e) {
    world.logger.debug({ err: e }, `cannot read check ${name} from Pebble`);
  }
  return { name, status: failed ? 'down' : 'up', failures: failed ? 1 : 0 };
}

/**
 * Gathers what this hook reveals, reading only: the hook env, config, leadership, pod address,
 * Pebble's boot id, the peer, sentinel and client relations, and (with enable-tls) the TLS resources.
 */
export async function observe(world: HookWorld): Promise<{ type: 'hook'; payload: Observed }> {
  const { model, logger } = world;
  const config = await model.rawConfig();
  const quiet = <T>(what: string, p: Promise<T>, fallback: T): Promise<T> =>
    p.catch((e: unknown) => {
      logger.debug({ err: e }, `cannot read ${what} yet`);
      return fallback;
    });
  const event = world.context.event;
  const facts = hookFacts(world.context);
  const checkName = CHECK_HOOKS.includes(event.kind) ? facts.check : undefined;
  const [leader, address, pebble, peers, sentinels, clients, tls, check] = await Promise.all([
    model.isLeader(),
    quiet('the pod address', model.address('redis-peers'), undefined),
    quiet('Pebble system info', world.container(CONTAINER).observe(3000), { reachable: false, bootId: null }),
    quiet('the peer relation', peerFacts(world), null),
    model.relations('sentinel').then((rels) => Promise.all(rels.map((r) => sentinelFacts(r, world)))),
    model.relations('redis').then((rels) => rels.map((r): ClientFacts => ({ relationId: r.id, app: r.app ?? null }))),
    config['enable-tls'] === true ? tlsFacts(world) : Promise.resolve(null),
    checkName === undefined ? undefined : checkFacts(world, checkName, event.kind === 'pebble-check-failed'),
  ]);
  return {
    type: 'hook',
    payload: {
      facts,
      config,
      leader,
      address: address ?? null,
      pebble,
      peers,
      sentinels,
      clients,
      tls,
      ...(check === undefined ? {} : { check }),
    },
  };
}
