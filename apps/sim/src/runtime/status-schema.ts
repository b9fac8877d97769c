/**
 * The documented shape of `charm-sim status --format json` (see apps/sim/README.md, "Status JSON").
 * Keys follow `juju status --format json` where Juju has the same thing.
 */
import { z } from 'zod';

/** A status value: `current` is Juju's status word, `since` an ISO time. */
export const StatusValue = z.object({ current: z.string(), message: z.string(), since: z.string() }).strict();

/** Runtime state of a unit's pod. */
export const PodState = z.enum(['starting', 'running', 'restarting', 'failed', 'terminating']);

export const UnitStatus = z
  .object({
    'workload-status': StatusValue,
    'juju-status': StatusValue,
    leader: z.boolean(),
    /** Pod address, one loopback address per pod (127.42.0.0/16). */
    address: z.string(),
    /** `<app>-<n>.<app>-endpoints.<model>.svc.cluster.local`; resolves inside every pod. */
    fqdn: z.string(),
    'open-ports': z.array(z.string()),
    life: z.enum(['alive', 'dying', 'dead']),
    pod: PodState.nullable(),
    /** Per workload container: whether pebble-ready ran for the current Pebble boot id. */
    containers: z.record(
      z.string(),
      z.object({ 'pebble-ready': z.boolean(), 'boot-id': z.string().nullable() }).strict(),
    ),
    /** Hook or action running now, if any. */
    'running-hook': z.string().nullable(),
    /** The failed hook blocking the unit, if any. */
    'failed-hook': z.object({ hook: z.string(), attempts: z.number().int() }).strict().nullable(),
  })
  .strict();

export const AppStatus = z
  .object({
    charm: z.string(),
    'charm-path': z.string(),
    'charm-rev': z.number().int(),
    scale: z.number().int(),
    'application-status': StatusValue,
    'workload-version': z.string(),
    leader: z.string().nullable(),
    life: z.enum(['alive', 'dying', 'dead']),
    /** Endpoint -> related application names (peers name the app itself). */
    relations: z.record(z.string(), z.array(z.string())),
    units: z.record(z.string(), UnitStatus),
  })
  .strict();

export const RelationStatus = z
  .object({
    id: z.number().int(),
    /** `app:endpoint`, provider first. */
    endpoints: z.array(z.string()).min(1).max(2),
    interface: z.string(),
    type: z.enum(['peer', 'regular']),
    life: z.enum(['alive', 'dying', 'dead']),
  })
  .strict();

/** The whole document. */
export const StatusJson = z
  .object({
    model: z
      .object({
        name: z.string(),
        uuid: z.string(),
        'juju-version': z.string(),
        'model-dir': z.string(),
        /** No hook running or queued, every pod up and every pebble-ready delivered. */
        settled: z.boolean(),
        /** Why not settled (empty when settled). */
        activity: z.array(z.string()),
      })
      .strict(),
    applications: z.record(z.string(), AppStatus),
    relations: z.array(RelationStatus),
  })
  .strict();
export type StatusJson = z.infer<typeof StatusJson>;
