import { describe, expect, test } from 'vitest';
import { usePebbleDaemon } from './testing-fixtures/use-pebble-daemon.js';

describe('notices on a real Pebble', () => {
  const pebble = usePebbleDaemon();

  test('notify records a custom notice that getNotice returns; a repeat increments occurrences', async () => {
    const id = await pebble.client.notify('custom', 'example.com/first', { data: { a: '1' } });
    const notice = await pebble.client.getNotice(id);
    expect(notice).toMatchObject({
      id,
      type: 'custom',
      key: 'example.com/first',
      occurrences: 1,
      lastData: { a: '1' },
      userId: process.getuid?.() ?? 0,
    });
    expect(notice.lastRepeated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+/);
    expect(await pebble.client.notify('custom', 'example.com/first', { data: { a: '2' } })).toBe(id);
    const again = await pebble.client.getNotice(id);
    expect(again).toMatchObject({ occurrences: 2, lastData: { a: '2' } });
    expect(again.lastRepeated > notice.lastRepeated).toBe(true);
  });

  test('repeatAfter suppresses the repeat time (and wake-ups) within the window', async () => {
    const id = await pebble.client.notify('custom', 'example.com/rare', { repeatAfter: 3_600_000 });
    const first = await pebble.client.getNotice(id);
    await pebble.client.notify('custom', 'example.com/rare', { repeatAfter: 3_600_000 });
    const second = await pebble.client.getNotice(id);
    expect(second.occurrences).toBe(2);
    expect(second.lastRepeated).toBe(first.lastRepeated);
    expect(second.repeatAfter).toBe('1h0m0s');
  });

  test('getNotices filters by type and key; `after` is the exact nanosecond string (strictly after)', async () => {
    const a = await pebble.client.getNotice(await pebble.client.notify('custom', 'example.com/filter/a'));
    const b = await pebble.client.getNotice(await pebble.client.notify('custom', 'example.com/filter/b'));
    const keys = ['example.com/filter/a', 'example.com/filter/b'];
    expect((await pebble.client.getNotices({ keys })).map((n) => n.key)).toEqual(keys);
    expect((await pebble.client.getNotices({ keys: ['example.com/filter/b'] })).map((n) => n.id)).toEqual([b.id]);
    expect(await pebble.client.getNotices({ types: ['warning'], keys })).toEqual([]);
    expect((await pebble.client.getNotices({ types: ['custom'], keys })).length).toBe(2);
    expect((await pebble.client.getNotices({ keys, after: a.lastRepeated })).map((n) => n.id)).toEqual([b.id]);
    expect(await pebble.client.getNotices({ keys, after: b.lastRepeated })).toEqual([]);
    expect((await pebble.client.getNotices({ users: 'all', keys })).length).toBe(2);
  });

  test('change-update notices appear for changes', async () => {
    await pebble.client.addLayer('svc', { services: { s: { override: 'replace', command: 'sleep 1000' } } });
    const change = await pebble.client.stopServices(['s']);
    const notices = await pebble.client.getNotices({ types: ['change-update'], keys: [change] });
    expect(notices).toHaveLength(1);
    expect(notices[0]?.lastData['kind']).toBe('stop');
  });

  test('waitNotices long-polls until a matching notice arrives', async () => {
    const mark = await pebble.client.getNotice(await pebble.client.notify('custom', 'example.com/poll'));
    let settled = false;
    const waiting = pebble.client
      .waitNotices({ keys: ['example.com/poll'], after: mark.lastRepeated, timeout: 20_000 })
      .finally(() => (settled = true));
    await pebble.client.getNotices({ keys: ['example.com/poll'] });
    expect(settled).toBe(false);
    await pebble.client.notify('custom', 'example.com/poll', { data: { n: '2' } });
    const got = await waiting;
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ key: 'example.com/poll', occurrences: 2, lastData: { n: '2' } });
  });

  test('waitNotices returns [] when its timeout passes, and rejects with aborted on abort', async () => {
    const none = await pebble.client.waitNotices({ keys: ['example.com/never'], timeout: 200 });
    expect(none).toEqual([]);
    const controller = new AbortController();
    const waiting = pebble.client.waitNotices({
      keys: ['example.com/never'],
      timeout: 20_000,
      signal: controller.signal,
    });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'aborted' });
    await expect(
      pebble.client.waitNotices({ keys: ['example.com/never'], signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: 'aborted' });
  });

  test('failure paths: bad key, missing id, conflicting user filters', async () => {
    await expect(pebble.client.notify('custom', 'NotADomain')).rejects.toMatchObject({ code: 'api', statusCode: 400 });
    await expect(pebble.client.getNotice('999999')).rejects.toMatchObject({ code: 'api', statusCode: 404 });
    await expect(pebble.client.getNotices({ users: 'all', userId: 0 })).rejects.toMatchObject({
      code: 'api',
      statusCode: 400,
    });
  });
});
