import { readFile } from 'node:fs/promises';
import { CharmError, registerSecret, type ActionContext, type HookWorld } from '@charms/charm-sdk';
import { generatePassword, readPasswords } from './passwords.js';
import { plan as planFor } from './plan.js';
import type { RedisConnector } from './redis-client.js';
import { probeReplication } from './replication.js';
import { SetPasswordParams, secretContent, withPassword } from './set-password.js';
import type { RedisState } from './state.js';
import { reconcileWorkload } from './reconcile.js';
import { REDIS_PORT, type WorkloadPaths } from './paths.js';

type Handler = (action: ActionContext, world: HookWorld, state: RedisState) => Promise<void>;

function secretIdOf(state: RedisState): string | null {
  return state.peers?.app.secretId ?? state.createdSecretId;
}

/** The charm's action handlers. */
export function createActions(deps: {
  connect: RedisConnector;
  paths: WorkloadPaths;
  verifyTimeoutMs?: number;
}): Record<string, Handler> {
  const plan = (state: RedisState) => planFor(state, deps.paths);
  return {
    /**
     * Leader only: writes a new revision of the password secret with `username`'s password (given,
     * or generated), applies an admin password to this unit live, and bumps the peer bag's
     * `secret-revision` so every other unit applies it in its relation-changed hook.
     */
    async 'set-password'(action, world, state) {
      let params: SetPasswordParams;
      try {
        params = await action.params(SetPasswordParams);
      } catch (e) {
        if (e instanceof CharmError && e.code === 'invalid-action-params')
          return action.fail(`${e.message}; nothing was changed`);
        throw e;
      }
      if (params.password !== undefined) registerSecret(params.password);
      if (!state.leader)
        return action.fail(
          `cannot set the ${params.username} password on ${state.unit ?? 'this unit'}: only the leader can; run it on the leader unit (juju status shows it with a *)`,
        );
      const id = secretIdOf(state);
      const peers = await world.model.relation('redis-peers');
      if (id === null || peers === undefined)
        return action.fail(
          'cannot set a password yet: the leader has not created the password secret; wait until the units are active and run the action again',
        );
      const current = await readPasswords(world.model, id);
      const value = params.password ?? generatePassword();
      const next = withPassword(current, params.username, value);
      if (next.password === current.password && next.sentinelPassword === current.sentinelPassword)
        return action.fail(
          `cannot set the ${params.username} password: it already has this value; nothing was changed`,
        );
      await world.model.secrets.set(id, secretContent(next));
      const revision = Number((await peers.appData(world.model.appName))['secret-revision'] ?? '0') + 1;
      await peers.setAppData({ 'secret-revision': String(Number.isSafeInteger(revision) ? revision : 1) });
      let applied = 'secret only (sentinels apply it on secret-changed)';
      const desired = plan(state);
      if (params.username === 'admin' && desired.workload !== null) {
        const result = await reconcileWorkload(desired.workload, next, world, {
          connect: deps.connect,
          verifyTimeoutMs: deps.verifyTimeoutMs ?? 20_000,
        });
        applied = result.observed.passwordRotation ?? 'unchanged';
      }
      await action.setResults({
        username: params.username,
        'secret-id': id,
        generated: String(params.password === undefined),
        'leader-unit': applied,
      });
    },

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
