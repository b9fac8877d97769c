/** @charms/sim: the charm-sim model API and the documented status schema (the CLI is bin/charm-sim). */
export * from './model/api.js';
export { StatusJson, AppStatus, UnitStatus, RelationStatus, StatusValue, PodState } from './runtime/status-schema.js';
