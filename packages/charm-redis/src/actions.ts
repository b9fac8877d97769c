import { readFile } from 'node:fs/promises';
import type { ActionContext, HookWorld } from '@charms/charm-sdk';
import { readPasswords } from './passwords.js';
import { createPlanner } from './plan.js';
import type { RedisConnector } from './redis-client.js';
import { REDIS_PORT, type WorkloadPaths } from './redis-conf.js';
import { probeReplication } from './replication.js';
import type { RedisState } from './state.js';

type Handler = (action: ActionContext, world: HookWorld, state: RedisState) => Promise<void>;

function secretIdOf(state: RedisState): string | null {
  return state.peers?.app.secretId ?? state.createdSecretId;
}

/** The charm's action handlers. */
export function createActions(deps: { connect: RedisConnector; paths: WorkloadPaths }): Record<string, Handler> {
  const plan = createPlanner(deps.paths);
  return {
    /** Returns the admin password (the value Juju's action results carry; Juju has no other channel). */
    async 'get-initial-admin-password'(action, world, state) {
      const id = secretIdOf(state);
      if (id === null)
        return action.fail(
          'cannot get the admin password: the leader has not created it yet; wait until the units are active and run the action again',
        );
      const { password } = await readPasswords(world.model, id);
      await action.setResults({ password, 'secret-id': id }, { reveal: ['password'] });
    },

    /** Returns the sentinel password (the related redis-sentinel-k8s app's requirepass). */
    async 'get-sentinel-password'(action, world, state) {
      const id = secretIdOf(state);
      if (id === null)
        return action.fail(
          'cannot get the sentinel password: the leader has not created it yet; wait until the units are active and run the action again',
        );
      const { sentinelPassword } = await readPasswords(world.model, id);
      await action.setResults(
        { 'sentinel-password': sentinelPassword, 'secret-id': id },
        { reveal: ['sentinel-password'] },
      );
    },

    /** Reports this unit's replication state as redis-server sees it, beside what the charm expects. */
    async 'get-replication-info'(action, world, state) {
      const id = secretIdOf(state);
      const desired = plan(state);
      if (id === null || state.address === null)
        return action.fail(
          'cannot query redis-server: the unit has no address or password yet; wait until it is active',
        );
      const { password } = await readPasswords(world.model, id);
      const ca =
        state.config['enable-tls'] === true
          ? await readFile(await world.model.resourcePath('ca-cert-file'), 'utf8')
          : undefined;
      let session;
      try {
        session = await deps.connect(
          { host: state.address, port: REDIS_PORT, password, ...(ca === undefined ? {} : { tls: { ca } }) },
          { timeoutMs: 3000 },
        );
        const view = await probeReplication(session);
        const replicas = Object.fromEntries(
          view.replicas.map((r, i) => [
            String(i),
            { ip: r.ip, port: r.port, state: r.state, offset: r.offset, lag: r.lag },
          ]),
        );
        await action.setResults({
          role: view.role,
          'expected-role': desired.roleText ?? 'unknown',
          ...(view.masterHost === null
            ? {}
            : {
                'master-host': view.masterHost,
                'master-port': view.masterPort ?? REDIS_PORT,
                'master-link-status': view.linkStatus ?? 'unknown',
              }),
          'connected-replicas': view.connectedReplicas,
          ...(view.replicas.length === 0 ? {} : { replicas }),
          'master-repl-offset': view.masterReplOffset ?? 0,
          'run-id': view.runId ?? 'unknown',
        });
      } catch (e) {
        await action.fail(`cannot query redis-server at ${state.address}:${REDIS_PORT}: ${(e as Error).message}`);
      } finally {
        await session?.close();
      }
    },
  };
}
