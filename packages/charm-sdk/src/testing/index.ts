/**
 * State-in/state-out testing for charms: run one event through the charm's real pipeline against
 * an in-memory model ({@link FakeHookToolRunner}) and real Pebble daemons, and get back the model
 * and the event log. See the package README for an example.
 */
export { runEvent, hookEnv, type EventSpec, type RunEventOptions, type EventResult } from './harness.js';
export { FakeHookToolRunner } from './fake-hook-tool-runner.js';
export {
  modelState,
  relationState,
  type ModelState,
  type RelationState,
  type SecretState,
  type StatusState,
  type LogState,
} from './model-state.js';
export { startTestContainers, type TestContainers } from './test-containers.js';
export {
  SimModel,
  SimStatus,
  SimDebugLine,
  SimActionOutcome,
  simAvailable,
  until,
  SIM_BIN,
  FAST_SIM_FLAGS,
} from './sim-model.js';
export { packageBin, packageDir } from './workspace-packages.js';
export { charmToDeploy, PACKED_BY_NX_ENV } from './packed-charm.js';
export { makeTestCerts, type TestCerts } from './test-certs.js';
