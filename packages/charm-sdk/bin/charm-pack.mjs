#!/usr/bin/env node
// charm-pack: packs a TypeScript charm; runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { runPackCli } = await import('../src/pack/cli.ts');
process.exitCode = await runPackCli(process.argv.slice(2));
