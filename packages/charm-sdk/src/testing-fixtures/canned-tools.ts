import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileRunner, type HookToolRunner } from '../hook-tools/runner.js';

const SCRIPT = `#!/bin/sh
d=$(dirname "$0"); t=$(basename "$0")
printf '%s\\0' "$@" > "$d/.calls/$t.argv"
echo $# > "$d/.calls/$t.argc"
{ printf '%s\\037' "$@"; printf '\\036'; } >> "$d/.calls/$t.all"
cat > "$d/.calls/$t.stdin"
: > "$d/.calls/$t.files"
for a in "$@"; do case "$a" in *'#file='*) printf '%s=' "\${a%%#file=*}" >> "$d/.calls/$t.files"; cat "\${a#*#file=}" >> "$d/.calls/$t.files"; printf '\\n' >> "$d/.calls/$t.files";; esac; done
[ -f "$d/.out/$t" ] && cat "$d/.out/$t"
[ -f "$d/.err/$t" ] && cat "$d/.err/$t" >&2
exit $(cat "$d/.code/$t" 2>/dev/null || echo 0)
`;

/** A canned reply of one tool. */
export interface CannedReply {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
}

/** What a canned tool received. */
export interface RecordedCall {
  argv: string[];
  stdin: string;
  /** `key=content` of every `key#file=path` argument, read while the tool ran. */
  files: string;
}

/**
 * Real executables in a temp dir that record their argv, stdin and `#file=` contents and print a
 * canned reply, so the real spawning runner is exercised end to end.
 */
export class CannedTools {
  private constructor(
    readonly dir: string,
    readonly runner: HookToolRunner,
  ) {}

  static async create(): Promise<CannedTools> {
    const dir = await mkdtemp(join(tmpdir(), 'charm-sdk-tools-'));
    for (const sub of ['.calls', '.out', '.err', '.code']) await mkdir(join(dir, sub));
    await writeFile(join(dir, '.tool'), SCRIPT);
    await chmod(join(dir, '.tool'), 0o755);
    return new CannedTools(dir, execFileRunner({ toolsDir: dir }));
  }

  /** Installs `tool` with a canned reply. */
  async reply(tool: string, reply: CannedReply = {}): Promise<void> {
    await symlink(join(this.dir, '.tool'), join(this.dir, tool)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    await writeFile(join(this.dir, '.out', tool), reply.stdout ?? '');
    await writeFile(join(this.dir, '.err', tool), reply.stderr ?? '');
    await writeFile(join(this.dir, '.code', tool), String(reply.exitCode ?? 0));
  }

  /** The last call of `tool`. */
  async last(tool: string): Promise<RecordedCall> {
    const raw = await readFile(join(this.dir, '.calls', `${tool}.argv`), 'utf8');
    const argc = Number((await readFile(join(this.dir, '.calls', `${tool}.argc`), 'utf8')).trim());
    return {
      argv: argc === 0 ? [] : raw.slice(0, -1).split('\0'),
      stdin: await readFile(join(this.dir, '.calls', `${tool}.stdin`), 'utf8'),
      files: await readFile(join(this.dir, '.calls', `${tool}.files`), 'utf8'),
    };
  }

  /** Every call's argv of `tool`, in order. */
  async all(tool: string): Promise<string[][]> {
    const raw = await readFile(join(this.dir, '.calls', `${tool}.all`), 'utf8').catch(() => '');
    return raw
      .split('\x1e')
      .slice(0, -1)
      .map((rec) => (rec === '\x1f' || rec === '' ? [] : rec.slice(0, -1).split('\x1f')));
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
