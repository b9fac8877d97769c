import { chmod, copyFile, mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { toolNames } from '@charms/juju-model';

/**
 * Fills `dir` with a copy of jujuc and one relative symlink per hook-tool name the server knows, so
 * the directory works wherever it is mounted (the charm view mounts it at /var/lib/juju/tools).
 */
export async function prepareToolsDir(dir: string, jujuc: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await copyFile(jujuc, join(dir, 'jujuc'));
  await chmod(join(dir, 'jujuc'), 0o755);
  await Promise.all(toolNames.map((name) => symlink('jujuc', join(dir, name))));
}
