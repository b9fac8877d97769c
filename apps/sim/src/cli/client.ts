import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { JujuModelError, type JujuModelErrorCode } from '../model/api.js';
import type { ModelLayout } from '../pods/layout.js';
import { socketAlive } from '../controller/daemon.js';
import { Response, type Request } from '../controller/protocol.js';
import type { Settings } from '../controller/settings.js';

/** Sends one request; `onProgress` gets progress lines; resolves with the result or throws the controller's error. */
export function call(
  layout: ModelLayout,
  req: Request,
  onProgress: (message: string) => void = () => undefined,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = connect(layout.controllerSocket);
    let buffer = '';
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      socket.destroy();
    };
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(JSON.stringify(req) + '\n'));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          continue;
        }
        const parsed = Response.safeParse(json);
        if (!parsed.success) continue;
        const msg = parsed.data;
        if (msg.type === 'progress') onProgress(msg.message);
        else if (msg.type === 'result') finish(() => resolve(msg.value));
        else
          finish(() =>
            reject(new JujuModelError(msg.error.code as JujuModelErrorCode, msg.error.message, msg.error.details)),
          );
      }
    });
    socket.on('error', (e) =>
      finish(() =>
        reject(
          new JujuModelError(
            'controller-unavailable',
            `cannot reach the controller at ${layout.controllerSocket}: ${e.message}`,
          ),
        ),
      ),
    );
    socket.on('close', () =>
      finish(() =>
        reject(
          new JujuModelError(
            'controller-unavailable',
            `cannot complete ${req.method}: the controller closed the connection; see ${layout.controllerLog}`,
          ),
        ),
      ),
    );
  });
}

async function tail(path: string, lines = 15): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts the controller for the model dir unless one answers: a detached process running this same
 * entry point (`__controller`) with the same Node flags (tsx from source, or dist), logging to
 * `<model-dir>/controller.log`. Waits (bounded) until it answers `ping`.
 */
export async function ensureController(
  layout: ModelLayout,
  overrides: Partial<Settings>,
  timeoutMs = 30_000,
): Promise<void> {
  if (await socketAlive(layout.controllerSocket)) return;
  mkdirSync(layout.root, { recursive: true });
  const entry = process.argv[1];
  if (!entry) throw new JujuModelError('controller-unavailable', 'cannot start the controller: unknown entry script');
  const fd = openSync(layout.controllerLog, 'a');
  try {
    const child = spawn(
      process.execPath,
      [...process.execArgv, entry, '__controller', '--model-dir', layout.root, '--settings', JSON.stringify(overrides)],
      {
        detached: true,
        stdio: ['ignore', fd, fd],
        cwd: layout.root,
        env: process.env,
      },
    );
    child.unref();
  } finally {
    closeSync(fd);
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await socketAlive(layout.controllerSocket)) {
      try {
        await call(layout, { method: 'ping' });
        return;
      } catch {
        // still starting
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new JujuModelError(
    'controller-unavailable',
    `cannot start the controller for ${layout.root} within ${timeoutMs} ms; last lines of ${layout.controllerLog}:\n${await tail(layout.controllerLog)}`,
  );
}
