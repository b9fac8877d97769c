import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPebbleDaemon, type PebbleDaemon } from '@charms/pebble-client/testing';

/** Real Pebble daemons laid out as Juju mounts them: `<root>/<name>/pebble.socket`. */
export interface TestContainers {
  root: string;
  daemons: Record<string, PebbleDaemon>;
  /** Stops every daemon and removes the root. */
  stop(): Promise<void>;
}

/** Starts one real `pebble run --hold` per container name. */
export async function startTestContainers(names: readonly string[]): Promise<TestContainers> {
  const root = await mkdtemp(join(tmpdir(), 'charm-containers-'));
  const daemons: Record<string, PebbleDaemon> = {};
  const stop = async () => {
    await Promise.all(Object.values(daemons).map((d) => d.stop().catch(() => undefined)));
    await rm(root, { recursive: true, force: true });
  };
  try {
    for (const name of names) {
      const daemon = await startPebbleDaemon();
      daemons[name] = daemon;
      await mkdir(join(root, name));
      await symlink(daemon.socketPath, join(root, name, 'pebble.socket'));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { root, daemons, stop };
}
