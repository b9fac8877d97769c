/**
 * @charms/replay: `charm-replay`, the event-log replay debugger for redis-k8s and redis-sentinel-k8s.
 *
 * - {@link openSource}: a log (directory, charm dir or charm-sim unit) with the charm that wrote it.
 * - {@link replaySteps}: the log folded and planned record by record with the charm's own code.
 * - {@link timeline}, {@link why}, {@link whatIf}, {@link verify}: the questions a person asks.
 */
export { openSource, locateLog, type Source, type SourceOptions } from './source.js';
export { replaySteps, stepAt, type Step, type ReplayOptions } from './replay.js';
export { timeline, type TimelineEntry, type TimelineOptions } from './commands/timeline.js';
export { why, type WhyAnswer, type AreaChange } from './commands/why.js';
export { whatIf, parseOverrides, type WhatIfAnswer } from './commands/what-if.js';
export { verify, type VerifyReport } from './commands/verify.js';
export { diffJson, sameJson, type Change } from './json-diff.js';
export { renderHtml, escapeHtml } from './render/html.js';
export { runCli, buildProgram, type CliIO } from './cli/program.js';
export { CHARMS, charmNamed } from './charms/registry.js';
export { QUESTIONS, CHARM_NAMES, type Question, type CharmName, type ReplayCharm } from './charms/adapter.js';
export { ReplayError, isReplayError, REPLAY_ERROR_CODES, type ReplayErrorCode } from './errors.js';
