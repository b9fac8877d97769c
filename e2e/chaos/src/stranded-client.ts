/**
 * A client on the isolated side of a partition: a raw RESP connection bound to the isolated pod's
 * own address (ioredis cannot choose its source address), used to try writes there.
 */
import { connect } from 'node:net';

/** Sends AUTH then SET to `address`:6379 from `address`; resolves with the SET reply line. */
export function strandedSet(
  address: string,
  password: string,
  key: string,
  value: string,
  timeoutMs = 3000,
): Promise<string> {
  const arg = (s: string) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
  const cmd = (...a: string[]) => `*${a.length}\r\n${a.map(arg).join('')}`;
  return new Promise((resolve) => {
    const sock = connect({ host: address, port: 6379, localAddress: address });
    const lines: string[] = [];
    let buf = '';
    const done = (v: string) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(`timeout after ${timeoutMs} ms`), timeoutMs);
    sock.on('error', (e) => done(`error: ${e.message}`));
    sock.on('connect', () => sock.write(cmd('AUTH', password) + cmd('SET', key, value)));
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        lines.push(buf.slice(0, i));
        buf = buf.slice(i + 2);
      }
      if (lines.length >= 2) done(lines[1] as string);
    });
  });
}
