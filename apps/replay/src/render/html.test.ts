import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtml } from './html.js';

describe('renderHtml', () => {
  it('escapes everything that comes from the log', () => {
    const html = renderHtml({
      charm: 'redis-k8s',
      dir: '/tmp/<log>',
      generatedAt: '2026-12-03T00:00:00Z',
      entries: [
        {
          seq: 1,
          time: '2026-12-03T00:00:00Z',
          type: 'hook',
          summary: '<img src=x onerror=alert(1)>',
          changed: ['status'],
          failed: true,
          stateChanges: [{ path: 'config.x', before: '"quoted" & <b>', after: 'y' }],
          desiredChanges: [],
        },
      ],
    });
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('/tmp/&lt;log&gt;');
    expect(html).toContain('&quot;\\&quot;quoted\\&quot; &amp; &lt;b&gt;&quot;');
    expect(html).toContain('class="entry failed"');
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
