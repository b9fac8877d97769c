/**
 * The Pebble command that runs redis-server on `args` with umask 077. Redis 7's CONFIG REWRITE (run
 * by sentinel at every failover, and by sentinel on its own file at every state change) recreates the
 * config file with mode 0666 & ~umask, so without this a 0600 file holding requirepass becomes 0644.
 */
export function redisServerCommand(...args: string[]): string {
  for (const a of args)
    if (!/^[\w./=:-]+$/.test(a)) throw new TypeError(`redis-server argument ${JSON.stringify(a)} needs quoting`);
  return `/bin/sh -c 'umask 077 && exec redis-server ${args.join(' ')}'`;
}
