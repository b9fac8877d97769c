import { once } from 'node:events';
import { describe, expect, test } from 'vitest';
import { CallScope } from './call-scope.js';

const ctx = { method: 'GET', path: '/v1/x', socketPath: '/nowhere' };

describe('CallScope', () => {
  test('the timeout aborts the call with a TimeoutError naming the request and the limit', async () => {
    const scope = new CallScope(ctx, undefined, 5);
    await once(scope, 'abort');
    expect(scope.aborted).toBe(true);
    expect(scope.fail(new Error('socket gone'))).toMatchObject({
      code: 'timeout',
      timeout: 5,
      message: 'cannot GET /v1/x: timed out after 5ms',
    });
    scope.dispose();
  });

  test("the caller's signal aborts with an AbortError carrying its reason; an aborted signal aborts at once", () => {
    const controller = new AbortController();
    const scope = new CallScope(ctx, controller.signal, 0);
    expect(scope.aborted).toBe(false);
    controller.abort(new Error('user gave up'));
    expect(scope.reason).toMatchObject({ code: 'aborted', message: 'cannot GET /v1/x: aborted by the caller' });
    expect((scope.reason as Error).cause).toMatchObject({ message: 'user gave up' });
    expect(new CallScope(ctx, AbortSignal.abort(), 1000).reason).toMatchObject({ code: 'aborted' });
  });

  test('dispose stops the timer and drops the listener on the signal', () => {
    const controller = new AbortController();
    const scope = new CallScope(ctx, controller.signal, 10);
    scope.dispose();
    controller.abort();
    expect(scope.aborted).toBe(false);
  });

  test('a failure that is not an abort is mapped to the error family', () => {
    const scope = new CallScope(ctx, undefined, 0);
    expect(scope.fail(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toMatchObject({
      code: 'connection',
    });
  });

  test('delay resolves, and rejects with the abort reason when the call is aborted meanwhile', async () => {
    const controller = new AbortController();
    const scope = new CallScope(ctx, controller.signal, 0);
    await expect(scope.delay(1)).resolves.toBeUndefined();
    const waiting = scope.delay(60_000);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'aborted' });
    await expect(scope.delay(1)).rejects.toMatchObject({ code: 'aborted' });
    expect(scope.listenerCount('abort')).toBe(0);
  });
});
