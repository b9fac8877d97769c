const SAFE_ARG = /^[\w./=:-]+$/;

/**
 * The Pebble command that runs redis-server on `args` with umask 077. Redis 7's CONFIG REWRITE (run
 * by sentinel at every failover, and by sentinel on its own file at every state change) recreates the
 * config file with mode 0666 & ~umask, so without this a 0600 file holding requirepass becomes 0644.
 */
export function redisServerCommand(...args: string[]): string {
  return redisServerCommandAfter('', ...args);
}

/**
 * {@link redisServerCommand} with the shell commands `before` run first, in the same shell (their
 * failure does not stop the start). They go inside single quotes, so they may not hold one.
 */
export function redisServerCommandAfter(before: string, ...args: string[]): string {
  for (const a of args)
    if (!SAFE_ARG.test(a)) throw new TypeError(`redis-server argument ${JSON.stringify(a)} needs quoting`);
  if (before.includes("'")) throw new TypeError(`shell before redis-server ${JSON.stringify(before)} holds a quote`);
  const prelude = before.trim() === '' ? '' : `${before.trim().replace(/;$/, '')}; `;
  return `/bin/sh -c 'umask 077 && ${prelude}exec redis-server ${args.join(' ')}'`;
}
