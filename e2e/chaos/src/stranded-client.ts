/**
 * A client on the isolated side of a partition: a raw RESP connection made from inside the isolated
 * pod's network namespace (`nsenter --net`, a Node child; the password travels in its environment,
 * never its argv), used to try writes there.
 */
import { execFile } from 'node:child_process';

const CLIENT = `
const net = require('node:net');
const [address, key, value, timeoutMs] = process.argv.slice(1);
const arg = (s) => '$' + Buffer.byteLength(s) + '\\r\\n' + s + '\\r\\n';
const cmd = (...a) => '*' + a.length + '\\r\\n' + a.map(arg).join('');
const done = (v) => { process.stdout.write(v); process.exit(0); };
setTimeout(() => done('timeout after ' + timeoutMs + ' ms'), Number(timeoutMs));
const sock = net.connect({ host: address, port: 6379 });
let buf = '';
const lines = [];
sock.on('error', (e) => done('error: ' + e.message));
sock.on('connect', () => sock.write(cmd('AUTH', process.env.STRANDED_PASSWORD) + cmd('SET', key, value)));
sock.on('data', (d) => {
  buf += d.toString('utf8');
  let i;
  while ((i = buf.indexOf('\\r\\n')) >= 0) { lines.push(buf.slice(0, i)); buf = buf.slice(i + 2); }
  if (lines.length >= 2) done(lines[1]);
});
`;

/** Sends AUTH then SET to `address`:6379 from inside `netns`; resolves with the SET reply line. */
export function strandedSet(
  netns: string,
  address: string,
  password: string,
  key: string,
  value: string,
  timeoutMs = 3000,
): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      'nsenter',
      [`--net=${netns}`, process.execPath, '-e', CLIENT, address, key, value, String(timeoutMs)],
      { env: { ...process.env, STRANDED_PASSWORD: password }, timeout: timeoutMs + 5000 },
      (error, stdout) => resolve(stdout || `error: ${error?.message ?? 'no reply'}`),
    );
  });
}
