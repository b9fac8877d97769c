import type { ActionContext, ActionResults, HookWorld } from '@charms/charm-sdk';
import { credentialsFor } from './credentials.js';
import { isSentinelError } from './errors.js';
import { SENTINEL_PORT } from './paths.js';
import { parseRedisAppBag } from './relation-data.js';
import { withSentinel, type SentinelConnector } from './sentinel-client.js';
import type { SentinelState } from './state.js';
import type { ClientTls } from './tls.js';

/** What one sentinel answered to `SENTINEL GET-MASTER-ADDR-BY-NAME`. */
export interface SentinelAnswer {
  unit: string;
  address: string;
  /** `host:port`, or null when it does not monitor the master (or could not be asked). */
  primary: string | null;
  /** Why it could not be asked (its error code and message). */
  error?: string;
}

/** The primary a majority of all sentinels (answering or not) agree on. */
export interface MajorityView {
  primary: string | null;
  votes: number;
  needed: number;
}

/** The primary more than half of `total` sentinels report (pure); null primary when none has a majority. */
export function majorityPrimary(answers: readonly SentinelAnswer[], total: number): MajorityView {
  const needed = Math.floor(total / 2) + 1;
  const counts = new Map<string, number>();
  for (const a of answers) if (a.primary !== null) counts.set(a.primary, (counts.get(a.primary) ?? 0) + 1);
  const [best] = [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  if (best === undefined || best[1] < needed) return { primary: null, votes: best?.[1] ?? 0, needed };
  return { primary: best[0], votes: best[1], needed };
}

/** The action results (pure): the majority view, and each sentinel's as `sentinels.<n>.*`. */
export function primaryResults(
  answers: readonly SentinelAnswer[],
  majority: MajorityView,
  unitAt: (address: string) => string | undefined,
): ActionResults {
  const host = majority.primary?.slice(0, majority.primary.lastIndexOf(':'));
  const unit = host === undefined ? undefined : unitAt(host);
  return {
    ...(majority.primary === null ? {} : { primary: majority.primary }),
    ...(unit === undefined ? {} : { 'primary-unit': unit }),
    votes: `${majority.votes} of ${answers.length} (majority ${majority.needed})`,
    sentinels: Object.fromEntries(
      answers.map((a, i) => [
        String(i),
        {
          unit: a.unit,
          address: a.address,
          primary: a.primary ?? 'none',
          ...(a.error === undefined ? {} : { error: a.error }),
        },
      ]),
    ),
  };
}

async function ask(
  connector: SentinelConnector,
  unit: string,
  address: string,
  password: string,
  masterName: string,
  tls: ClientTls | undefined,
): Promise<SentinelAnswer> {
  try {
    const endpoint = { host: address, port: SENTINEL_PORT, password, ...(tls === undefined ? {} : { tls }) };
    const found = await withSentinel(connector, endpoint, 3000, (s) => s.masterAddress(masterName));
    return { unit, address, primary: found === null ? null : `${found.host}:${found.port}` };
  } catch (e) {
    if (!isSentinelError(e)) throw e;
    return { unit, address, primary: null, error: `${e.code}: ${e.message}` };
  }
}

/**
 * The `get-primary` action: asks every sentinel of the application (this one and its peers) where the
 * master is, and reports the answer a majority gives, with each sentinel's view. Fails when none has one.
 */
export async function getPrimary(
  action: ActionContext,
  world: HookWorld,
  state: SentinelState,
  connector: SentinelConnector,
): Promise<void> {
  const bag = state.redis === null ? undefined : parseRedisAppBag(state.redis.appData);
  if (bag === undefined || !bag.ok || state.credentials === null || !state.credentials.ok)
    return action.fail(
      'cannot ask the sentinels: this unit does not monitor a redis-k8s application yet (see juju status for why)',
    );
  const creds = await credentialsFor(world.model, state.credentials.secretId);
  if (!creds.ok) return action.fail(`cannot ask the sentinels: ${creds.problem}`);
  const members = [
    ...(state.unit !== null && state.address !== null ? [{ unit: state.unit, address: state.address }] : []),
    ...state.peers.flatMap((p) => (p.address === null ? [] : [{ unit: p.unit, address: p.address }])),
  ].sort((a, b) => a.unit.localeCompare(b.unit, 'en', { numeric: true }));
  const total = state.peers.length + 1;
  const masterName = bag.bag['master-name'];
  const tlsCa = bag.bag.tls === 'true' ? bag.bag['tls-ca'] : undefined;
  const tls = tlsCa === undefined ? undefined : { ca: tlsCa };
  const answers = await Promise.all(
    members.map((m) => ask(connector, m.unit, m.address, creds.secrets.sentinelPassword, masterName, tls)),
  );
  const majority = majorityPrimary(answers, total);
  const units = bag.bag.units ?? [];
  await action.setResults(primaryResults(answers, majority, (host) => units.find((u) => u.address === host)?.unit));
  if (majority.primary === null)
    await action.fail(
      `no primary has a majority: ${majority.votes} of ${total} sentinels agree, ${majority.needed} needed (each sentinel's view is in the results)`,
    );
}
