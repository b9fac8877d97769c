// The floor of any Node charm, for the hook-latency bench: no framework, no zod, no bundle, just
// the bundled Node making the same hook-tool and Pebble calls as the example charm, as
// concurrently as they can go, plus one durable append. Nothing a real charm could skip.
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { request } from 'node:http';

const SOCKET = '/charm/containers/workload/pebble.socket';
const PAGE = '/srv/example/index.html';

const tool = (name, args) =>
  new Promise((ok, fail) => execFile(name, args, (err, stdout) => (err ? fail(err) : ok(stdout))));

const pebble = (path) =>
  new Promise((ok, fail) => {
    const req = request({ socketPath: SOCKET, path, headers: { host: 'localhost' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', fail);
    req.end();
  });

async function record(event) {
  const fh = await open(`${process.env.JUJU_CHARM_DIR}/.floor-log`, 'a');
  try {
    await fh.write(`${JSON.stringify({ time: Date.now(), event })}\n`);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

const event = (process.env.JUJU_DISPATCH_PATH ?? '').split('/').pop();
const [config, , net] = await Promise.all([
  tool('config-get', ['--format=json']),
  tool('is-leader', ['--format=json']),
  tool('network-get', ['example-peers', '--format=json']),
  pebble('/v1/system-info'),
  record(event),
]);
const { port, greeting } = JSON.parse(config);
const address = JSON.parse(net)['bind-addresses']?.[0]?.addresses?.[0]?.value ?? '';
const [page] = await Promise.all([
  pebble(`/v1/files?action=read&path=${encodeURIComponent(PAGE)}`),
  pebble('/v1/plan?format=yaml'),
  pebble('/v1/services'),
]);
void page.includes(`<h1>${greeting}</h1>`);
await Promise.all([tool('opened-ports', []), tool('status-set', ['active', `serving on ${address}:${port}`])]);
