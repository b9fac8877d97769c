/**
 * The charms the hook bench deploys, unpacked and with `dispatch` wrapped in a timer: the charm-sdk
 * example charm (TypeScript), the same charm in Python ops 3.9.0, the framework-free Node floor, and
 * redis-k8s itself.
 */
import { chmod, cp, mkdir, readdir, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import yauzl from 'yauzl';
import { NODE_RUNTIME, packCharm } from '@charms/charm-sdk/pack';

const HERE = resolve(new URL('.', import.meta.url).pathname);
const ROOT = resolve(HERE, '../..');

/** Which charm. */
export type ContenderKey = 'ts' | 'ops' | 'floor' | 'redis';

/** A deployable charm dir of the bench. */
export interface Contender {
  key: ContenderKey;
  app: string;
  label: string;
  dir: string;
  resources: string[];
}

/**
 * Wraps dispatch so every run writes `bench-timing <hook> <start ns> <end ns> <exit code>` to stderr,
 * which charm-sim puts in debug-log (it survives kill-pod, unlike a file in the pod). TypeScript charms
 * also print their pipeline's stage marks (CHARM_SDK_TRACE).
 */
function timingWrapper(trace: boolean, strace = false): string {
  // under strace, the syncs are counted into one stderr line (never timed: strace slows every call)
  const run = strace
    ? [
        'f=$(mktemp)',
        'strace -f -qq -e trace=fsync,fdatasync -e signal=none -o "$f" "$JUJU_CHARM_DIR/dispatch.real"',
        'rc=$?',
        'echo "bench-syncs $(grep -cE \'(fsync|fdatasync)\\(\' "$f")" >&2',
        'rm -f "$f"',
        '(exit $rc)',
      ].join('\n')
    : '"$JUJU_CHARM_DIR/dispatch.real"';
  return `#!/bin/sh
${trace ? 'export CHARM_SDK_TRACE=1\n' : ''}s=$(date +%s%N)
${run}
rc=$?
e=$(date +%s%N)
echo "bench-timing $JUJU_DISPATCH_PATH $s $e $rc" >&2
exit $rc
`;
}

async function unzip(file: string, to: string): Promise<void> {
  const zip = await yauzl.openPromise(file);
  try {
    for await (const entry of zip.eachEntry()) {
      const dest = join(to, entry.fileName);
      await mkdir(join(dest, '..'), { recursive: true });
      const chunks: Buffer[] = [];
      for await (const c of await zip.openReadStreamPromise(entry)) chunks.push(c as Buffer);
      await writeFile(dest, Buffer.concat(chunks));
      await chmod(dest, (entry.externalFileAttributes >>> 16) & 0o777);
    }
  } finally {
    zip.close();
  }
}

async function withTimer(dir: string, trace: boolean): Promise<void> {
  await rename(join(dir, 'dispatch'), join(dir, 'dispatch.real'));
  await writeFile(join(dir, 'dispatch'), timingWrapper(trace), { mode: 0o755 });
}

/** A copy of `c` whose dispatch runs under strace, to count syncs per hook (never timed). */
export async function straceVariant(c: Contender, work: string): Promise<Contender> {
  const dir = join(work, `${c.key}-strace-charm`);
  await cp(c.dir, dir, { recursive: true, verbatimSymlinks: true });
  await writeFile(join(dir, 'dispatch'), timingWrapper(false, true), { mode: 0o755 });
  return { ...c, dir, label: `${c.label} under strace` };
}

/** Packs and unpacks the asked-for charms under `work`, each with the timing wrapper. */
export async function prepareContenders(
  work: string,
  keys: readonly ContenderKey[],
  progress: (line: string) => void,
): Promise<{ contenders: Contender[]; bundleBytes: Record<string, number> }> {
  const out: Contender[] = [];
  const bundleBytes: Record<string, number> = {};
  const example = join(ROOT, 'packages/charm-sdk/src/testing-fixtures/example-charm');
  const node = `bundled Node ${NODE_RUNTIME.version}`;
  const workload = ['--resource', 'workload-image=ubuntu:22.04'];
  for (const key of keys) {
    const dir = join(work, `${key}-charm`);
    if (key === 'ts' || key === 'floor') {
      progress(`packing the example charm for ${key}`);
      const packed = await packCharm({ charmDir: example, outDir: join(work, `pack-${key}`) });
      await unzip(packed.path, dir);
      if (key === 'floor') {
        await cp(join(HERE, 'floor-charm/floor.mjs'), join(dir, 'floor.mjs'));
        await writeFile(
          join(dir, 'dispatch'),
          '#!/bin/sh\nexec "$JUJU_CHARM_DIR/node/bin/node" "$JUJU_CHARM_DIR/floor.mjs"\n',
          {
            mode: 0o755,
          },
        );
        out.push({
          key,
          app: 'example-floor-k8s',
          label: `floor (${node}, same calls, no framework)`,
          dir,
          resources: workload,
        });
      } else {
        out.push({ key, app: 'example-k8s', label: `example-k8s (charm-sdk, ${node})`, dir, resources: workload });
      }
    } else if (key === 'ops') {
      await cp(join(HERE, 'ops-charm'), dir, { recursive: true, verbatimSymlinks: true });
      await rm(join(dir, 'lib'), { force: true });
      await symlink(join(ROOT, 'tools/python/lib'), join(dir, 'lib'));
      out.push({ key, app: 'example-ops-k8s', label: 'example-ops-k8s (Python ops 3.9.0)', dir, resources: workload });
    } else {
      progress('packing redis-k8s');
      const packed = await packCharm({
        charmDir: join(ROOT, 'packages/charm-redis'),
        outDir: join(work, 'pack-redis'),
      });
      await unzip(packed.path, dir);
      out.push({ key, app: 'redis-k8s', label: `redis-k8s (charm-sdk, ${node})`, dir, resources: [] });
    }
    await withTimer(dir, key === 'ts' || key === 'redis');
  }
  for (const c of out) {
    if (c.key !== 'ts' && c.key !== 'redis') continue;
    for (const f of await readdir(join(c.dir, 'dist')))
      bundleBytes[`${c.app} dist/${f}`] = (await stat(join(c.dir, 'dist', f))).size;
  }
  return { contenders: out, bundleBytes };
}
