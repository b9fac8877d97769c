#!/usr/bin/env node
// Checks that no line of a tracked Markdown file is wider than Prettier's printWidth (.prettierrc.json).
// Prettier keeps Markdown prose as written (proseWrap: preserve), so nothing else holds the width; code files
// are held by eslint's max-len (eslint.config.mjs). Table rows are exempt: a Markdown table row cannot wrap.
// Usage: node scripts/check-line-width.mjs [file...]   (default: every tracked *.md file but generated reports)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const { printWidth } = JSON.parse(readFileSync(new URL('.prettierrc.json', root), 'utf8'));
const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : execFileSync('git', ['ls-files', '-z', '--', '*.md', ':!bench/REPORT.md', ':!e2e/chaos/REPORT.md'], {
        cwd: root,
        encoding: 'utf8',
      })
        .split('\0')
        .filter((f) => f !== '');

const tableRow = /^\s*\|/;
let wide = 0;
for (const file of files) {
  const lines = readFileSync(new URL(file, root), 'utf8').split('\n');
  lines.forEach((line, i) => {
    const width = [...line].length;
    if (width > printWidth && !tableRow.test(line)) {
      wide += 1;
      process.stdout.write(`${file}:${i + 1}: ${width} characters (at most ${printWidth}); rewrap it by hand\n`);
    }
  });
}
if (wide > 0) {
  process.stdout.write(`${wide} line(s) wider than ${printWidth} in ${files.length} Markdown file(s)\n`);
  process.exit(1);
}
