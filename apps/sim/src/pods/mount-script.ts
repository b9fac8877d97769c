/** One step of building a container view inside its fresh mount namespace. Targets are view paths. */
export type MountStep =
  | { kind: 'overlay'; upper: string; work: string; merged: string }
  | { kind: 'proc' }
  | { kind: 'rbind'; source: string; target: string }
  | { kind: 'tmpfs'; target: string }
  | { kind: 'bind-dir'; source: string; target: string; readOnly?: boolean }
  | { kind: 'bind-file'; source: string; target: string; readOnly?: boolean }
  | { kind: 'hostname'; name: string };

/** Everything needed to start one container view. */
export interface ViewPlan {
  merged: string;
  steps: readonly MountStep[];
  /** Working directory inside the view for `exec`. */
  cwd: string;
  /** The view's PID 1, exec'd after chroot. */
  exec: readonly string[];
}

/** POSIX single-quote quoting. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

function inView(merged: string, target: string): string {
  return shellQuote(merged + (target.startsWith('/') ? target : `/${target}`));
}

function render(step: MountStep, merged: string): string[] {
  switch (step.kind) {
    case 'overlay':
      return [
        `mount -t overlay overlay -o ${shellQuote(`lowerdir=/,upperdir=${step.upper},workdir=${step.work}`)} ${shellQuote(step.merged)}`,
      ];
    case 'proc':
      return [`mount -t proc proc ${inView(merged, '/proc')}`];
    case 'rbind':
      return [`mount --rbind ${shellQuote(step.source)} ${inView(merged, step.target)}`];
    case 'tmpfs':
      return [
        `mkdir -p ${inView(merged, step.target)}`,
        `mount -t tmpfs -o mode=1777 tmpfs ${inView(merged, step.target)}`,
      ];
    case 'bind-dir': {
      const t = inView(merged, step.target);
      const lines = [`mkdir -p ${t}`, `mount --bind ${shellQuote(step.source)} ${t}`];
      if (step.readOnly) lines.push(`mount -o remount,bind,ro ${t}`);
      return lines;
    }
    case 'bind-file': {
      const t = inView(merged, step.target);
      const dir = inView(merged, step.target.slice(0, step.target.lastIndexOf('/')) || '/');
      const lines = [`mkdir -p ${dir}`, `[ -e ${t} ] || : > ${t}`, `mount --bind ${shellQuote(step.source)} ${t}`];
      if (step.readOnly) lines.push(`mount -o remount,bind,ro ${t}`);
      return lines;
    }
    case 'hostname':
      return [`hostname ${shellQuote(step.name)}`];
  }
}

/**
 * The /bin/sh script run as the first process of a new mount+UTS+PID namespace: it builds the view,
 * then `exec chroot`s into it so the view's PID 1 is `plan.exec`. `set -e` makes any failed mount
 * end the pod with the failing command on stderr.
 */
export function renderMountScript(plan: ViewPlan): string {
  const lines = ['set -eu'];
  for (const step of plan.steps) lines.push(...render(step, plan.merged));
  lines.push(`cd ${shellQuote(plan.merged)}`);
  const argv = plan.exec.map(shellQuote).join(' ');
  lines.push(
    `exec chroot ${shellQuote(plan.merged)} /bin/sh -c ${shellQuote(`cd ${shellQuote(plan.cwd)} && exec "$@"`)} pod-init ${argv}`,
  );
  return lines.join('\n') + '\n';
}
