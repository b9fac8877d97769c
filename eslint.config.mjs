import nx from '@nx/eslint-plugin';
import prettierConfig from 'eslint-config-prettier';
import { readFileSync } from 'node:fs';

const { printWidth } = JSON.parse(readFileSync(new URL('./.prettierrc.json', import.meta.url), 'utf8'));

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: [
      '**/dist',
      '**/out-tsc',
      '**/node_modules',
      '**/*.charm',
      '**/vitest.config.ts',
      'bench/**/work',
      '**/fixtures/**',
    ],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:charm', 'type:sdk', 'type:lib'] },
            { sourceTag: 'type:charm', onlyDependOnLibsWithTags: ['type:sdk', 'type:lib'] },
            { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: [] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['apps/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', '**/*.test.ts', '**/testing/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // the benches measure the packages' sources without a build, so they import them by path
    files: ['bench/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  // formatting belongs to Prettier (checked by `npm run format:check`, part of test:all)
  prettierConfig,
  {
    // after prettierConfig, which turns max-len off: Prettier wraps code but not comments, so this catches long
    // comments; strings, template literals, regexps and URLs are left long (splitting a message hurts grep)
    files: ['**/*.ts', '**/*.mjs'],
    rules: {
      'max-len': [
        'error',
        {
          code: printWidth,
          tabWidth: 2,
          ignoreUrls: true,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
        },
      ],
    },
  },
];
