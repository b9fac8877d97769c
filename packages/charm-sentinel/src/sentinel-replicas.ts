import { z } from 'zod';
import { SentinelCharmError } from './errors.js';
import { flatToRecord } from './sentinel-view.js';

const Int = z.coerce.number().int();

/** One entry of `SENTINEL REPLICAS <name>`: a replica as this sentinel last saw it (its INFO cache). */
export const ReplicaView = z.object({
  ip: z.string(),
  port: Int,
  flags: z.array(z.string()),
  /** `replica-priority` from the replica's last INFO (0 = never promoted). */
  priority: Int.nonnegative(),
  /** Milliseconds since this sentinel's last INFO from the replica. */
  infoRefreshMs: Int.nonnegative(),
});
export type ReplicaView = z.infer<typeof ReplicaView>;

/** Parses the reply to `SENTINEL REPLICAS <name>` (a list of flat key/value lists). */
export function parseReplicasReply(reply: unknown): ReplicaView[] {
  if (!Array.isArray(reply))
    throw new SentinelCharmError(
      'sentinel-reply-invalid',
      'cannot read the reply to SENTINEL REPLICAS: expected a list',
    );
  return reply.map((entry) => {
    const r = flatToRecord(entry, 'SENTINEL REPLICAS');
    const parsed = ReplicaView.safeParse({
      ip: r['ip'],
      port: r['port'],
      flags: (r['flags'] ?? '').split(',').filter((f) => f !== ''),
      priority: r['slave-priority'] ?? r['replica-priority'],
      infoRefreshMs: r['info-refresh'],
    });
    if (!parsed.success)
      throw new SentinelCharmError(
        'sentinel-reply-invalid',
        `cannot read the reply to SENTINEL REPLICAS: missing or malformed ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
      );
    return parsed.data;
  });
}

/** Whether sentinel could promote this replica now (sentinelSelectSlave's flag and priority rules). */
export function promotable(r: ReplicaView): boolean {
  return r.priority > 0 && !r.flags.some((f) => f === 's_down' || f === 'o_down' || f === 'disconnected');
}
