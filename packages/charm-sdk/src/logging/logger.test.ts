import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CannedTools } from '../testing-fixtures/canned-tools.js';
import { createCharmLogger, formatRecord, jujuLevel } from './logger.js';
import { registerSecret, secrets } from './secret-registry.js';

let tools: CannedTools;
beforeAll(async () => {
  tools = await CannedTools.create();
  await tools.reply('juju-log');
});
afterAll(() => tools.dispose());
afterEach(() => secrets.clear());

function sink() {
  const lines: string[] = [];
  return { lines, write: (l: string) => lines.push(l) };
}

describe('charm logger', () => {
  it('maps pino levels to juju-log levels', () => {
    expect([10, 20, 30, 40, 50, 60].map(jujuLevel)).toEqual(['DEBUG', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']);
  });

  it('sends each record to juju-log in order and warnings also to stderr', async () => {
    const before = (await tools.all('juju-log')).length;
    const err = sink();
    const { logger, flush } = createCharmLogger({
      runner: tools.runner,
      level: 'debug',
      stderrLevel: 'warn',
      stderr: err,
    });
    logger.debug('d');
    logger.info({ service: 'redis' }, 'started');
    logger.warn('careful');
    logger.error({ err: Object.assign(new Error('boom'), { code: 'x' }) }, 'failed');
    await flush();
    const calls = (await tools.all('juju-log')).slice(before);
    expect(calls.map((c) => c.slice(0, 3))).toEqual([
      ['--log-level', 'DEBUG', '--'],
      ['--log-level', 'INFO', '--'],
      ['--log-level', 'WARNING', '--'],
      ['--log-level', 'ERROR', '--'],
    ]);
    expect(calls[1]?.[3]).toBe('started {"service":"redis"}');
    expect(calls[3]?.[3]).toMatch(/^failed \{"err":\{"type":"Error","message":"boom"/);
    expect(err.lines).toEqual(['WARNING careful\n', expect.stringMatching(/^ERROR failed /)]);
  });

  it('never lets a secret reach juju-log or stderr', async () => {
    const before = (await tools.all('juju-log')).length;
    const err = sink();
    const { logger, flush } = createCharmLogger({ runner: tools.runner, stderrLevel: 'info', stderr: err });
    registerSecret('correct-horse-battery');
    logger.info(
      { password: 'plain-password-field', nested: { token: 'tok-123456' } },
      'admin password is correct-horse-battery',
    );
    await flush();
    const [call] = (await tools.all('juju-log')).slice(before);
    const text = `${call?.join(' ')} ${err.lines.join('')}`;
    for (const leaked of ['correct-horse-battery', 'plain-password-field', 'tok-123456'])
      expect(text).not.toContain(leaked);
    expect(call?.[3]).toBe('admin password is [REDACTED] {"password":"[REDACTED]","nested":{"token":"[REDACTED]"}}');
  });

  it('falls back to stderr when juju-log cannot run', async () => {
    const broken = await CannedTools.create();
    await broken.reply('juju-log', { stderr: 'ERROR JUJU_CONTEXT_ID not set\n', exitCode: 1 });
    const err = sink();
    const { logger, flush } = createCharmLogger({ runner: broken.runner, stderr: err });
    logger.info('first');
    await flush();
    logger.info('second');
    await flush();
    await broken.dispose();
    expect(err.lines[0]).toMatch(/^WARNING juju-log is unavailable/);
    expect(err.lines.slice(1)).toEqual(['INFO first\n', 'INFO second\n']);
  });

  it('formats records without pino noise', () => {
    expect(formatRecord({ level: 30, msg: 'm', pid: 1, hostname: 'h', time: 1 })).toBe('m');
  });
});
