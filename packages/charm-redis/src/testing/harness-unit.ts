import { findPebbleBin } from '@charms/pebble-client/testing';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CharmMeta } from '@charms/charm-sdk';
import { readCharmDocs } from '@charms/charm-sdk/pack';
import {
  modelState,
  relationState,
  runEvent,
  startTestContainers,
  type EventSpec,
  type ModelState,
  type RelationState,
  type TestContainers,
} from '@charms/charm-sdk/testing';
import type { PebbleClient } from '@charms/pebble-client';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { createRedisCharm } from '../definition.js';
import type { WorkloadPaths } from '../paths.js';
import { parseInfo } from '../replication.js';
import { DEFAULT_CONFIG } from './states.js';

/** The charm package directory (this file is src/testing/harness-unit.ts). */
export const PACKAGE_DIR = resolve(new URL('../..', import.meta.url).pathname);

/** The charm's metadata, read from charmcraft.yaml. */
export async function charmMeta(): Promise<CharmMeta> {
  return (await readCharmDocs(PACKAGE_DIR)).meta;
}

/** A loopback /16 of our own, so tests never meet another suite's redis on port 6379. */
export function loopbackNet(): string {
  return `127.${200 + Math.floor(Math.random() * 50)}.${1 + Math.floor(Math.random() * 250)}`;
}

/**
 * One unit for harness tests: a real Pebble daemon as its `redis` container, container paths in a
 * temp dir (redis-server runs as user redis, so the dir is world-traversable), a persistent charm
 * dir (so the event log builds a history across events) and the charm bound to those paths.
 */
export interface HarnessUnit {
  name: string;
  address: string;
  paths: WorkloadPaths;
  charmDir: string;
  containers: TestContainers;
  charm: ReturnType<typeof createRedisCharm>;
  /** A client of the unit's Pebble (closed when the unit stops). */
  pebble(): PebbleClient;
  stop(): Promise<void>;
}

export async function startHarnessUnit(name: string, address: string): Promise<HarnessUnit> {
  const root = await mkdtemp(join(tmpdir(), 'charm-redis-unit-'));
  await chmod(root, 0o755);
  const paths = {
    conf: join(root, 'etc/redis.conf'),
    dataDir: join(root, 'data'),
    tlsDir: join(root, 'etc/tls'),
    pebbleBin: findPebbleBin(),
  };
  const charmDir = join(root, 'charm');
  const containers = await startTestContainers(['redis']);
  return {
    name,
    address,
    paths,
    charmDir,
    containers,
    charm: createRedisCharm({ paths, verifyTimeoutMs: 15_000 }),
    pebble() {
      const daemon = containers.daemons['redis'];
      if (daemon === undefined) throw new Error(`cannot reach the Pebble of ${name}: it did not start`);
      return daemon.client();
    },
    async stop() {
      await containers.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The peer relation as `unit` sees it, with the other units' address bags. */
export function peerRelation(
  unit: string,
  others: Record<string, string>,
  appData: Record<string, string> = {},
): RelationState {
  return relationState({
    endpoint: 'redis-peers',
    id: 1,
    remoteApp: 'redis-k8s',
    peer: true,
    remoteUnits: Object.keys(others).filter((u) => u !== unit),
    remoteUnitsData: Object.fromEntries(
      Object.entries(others)
        .filter(([u]) => u !== unit)
        .map(([u, a]) => [u, { address: a }]),
    ),
    localAppData: appData,
  });
}

/** A model state for `unit` with the charm's default config. */
export function unitState(unit: HarnessUnit, partial: Partial<ModelState>): ModelState {
  return modelState({
    unit: unit.name,
    config: { ...DEFAULT_CONFIG },
    addresses: { 'redis-peers': unit.address },
    ...partial,
  });
}

/** An ioredis client for a test to talk to a unit's redis-server (closed by the caller). */
export function client(address: string, password: string, extra: Record<string, unknown> = {}): Redis {
  const c = new Redis({
    host: address,
    port: 6379,
    password,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    ...extra,
  });
  // connection failures surface through connect() and command promises
  c.on('error', () => undefined);
  return c;
}

/** INFO of a unit's redis-server, parsed. */
export async function serverInfo(address: string, password: string): Promise<Record<string, string>> {
  const c = client(address, password);
  try {
    await c.connect();
    return parseInfo(await c.info());
  } finally {
    c.disconnect();
  }
}

/** Runs one hook (or action) of `unit` through the harness and asserts the charm raised nothing. */
export async function runHook(unit: HarnessUnit, meta: CharmMeta, event: string | EventSpec, state: ModelState) {
  const r = await runEvent(unit.charm, {
    event,
    state,
    meta,
    charmDir: unit.charmDir,
    containersRoot: unit.containers.root,
  });
  expect(r.run.error?.message ?? '', r.stderr).toBe('');
  return r;
}

/** Polls `probe` until it returns a value other than undefined, at most `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
