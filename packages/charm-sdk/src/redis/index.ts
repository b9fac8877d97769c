/** Talking to redis-server and sentinel from a hook (needs ioredis; a separate entry point). */
export { classifyRedisFailure, openRedis, type RedisFailureKind, type RedisTarget } from './connect.js';
export { redisServerCommand, redisServerCommandAfter } from './server-command.js';
export { checkTlsMaterial, type TlsMaterial, type TlsMaterialProblems } from './tls-material.js';
export {
  readTlsResources,
  type ReadTlsResourcesOptions,
  type TlsResourceFacts,
  type TlsResourceRoles,
} from './tls-resources.js';
