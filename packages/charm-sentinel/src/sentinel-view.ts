import { z } from 'zod';
import { SentinelCharmError } from './errors.js';

const Int = z.coerce.number().int();

/** What `SENTINEL MASTER <name>` says about the monitored master (the fields the charm uses). */
export const MasterView = z.object({
  name: z.string(),
  ip: z.string(),
  port: Int,
  flags: z.array(z.string()),
  configEpoch: Int.nonnegative(),
  numSlaves: Int.nonnegative(),
  numOtherSentinels: Int.nonnegative(),
  quorum: Int.positive(),
  downAfterMilliseconds: Int.nonnegative(),
  failoverTimeout: Int.nonnegative(),
  parallelSyncs: Int.nonnegative(),
});
export type MasterView = z.infer<typeof MasterView>;

/** `SENTINEL CKQUORUM`: whether the sentinels this one can reach can authorize a failover. */
export const QuorumView = z.object({
  ok: z.boolean(),
  /** Sentinels usable for a failover vote, this one included (known and not seen down). */
  usable: Int.nonnegative(),
  /** Sentinel's own reply text. */
  message: z.string(),
});
export type QuorumView = z.infer<typeof QuorumView>;

/**
 * The local sentinel as a hook saw it: its id, `SENTINEL GET-MASTER-ADDR-BY-NAME` (which names the
 * promoted replica as soon as a failover reconfigures replicas) and `SENTINEL MASTER`, or why it
 * could not be asked.
 */
export const SentinelView = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    myid: z.string(),
    address: z.object({ host: z.string(), port: Int }).nullable(),
    master: MasterView,
    /** Absent in older logs and in views read back after reconciling. */
    quorum: QuorumView.optional(),
  }),
  z.object({ ok: z.literal(false), code: z.string(), message: z.string() }),
]);
export type SentinelView = z.infer<typeof SentinelView>;

const FlatReply = z
  .array(z.union([z.string(), z.number()]))
  .refine((a) => a.length % 2 === 0, { message: 'must have an even number of items' });

/** Turns sentinel's flat `[key, value, ...]` reply into a record. */
export function flatToRecord(reply: unknown, command: string): Record<string, string> {
  const parsed = FlatReply.safeParse(reply);
  if (!parsed.success) {
    throw new SentinelCharmError(
      'sentinel-reply-invalid',
      `cannot read the reply to ${command}: expected a flat list of key/value pairs, got ${JSON.stringify(reply)?.slice(0, 200)}`,
      { command },
    );
  }
  const out: Record<string, string> = {};
  for (let i = 0; i < parsed.data.length; i += 2) out[String(parsed.data[i])] = String(parsed.data[i + 1]);
  return out;
}

/** Parses `SENTINEL CKQUORUM`'s reply: `OK <n> usable Sentinels...` or the `NOQUORUM <n> usable...` error text. */
export function parseQuorumReply(text: string): QuorumView {
  const m = /^(OK|NOQUORUM) (\d+) usable Sentinels?\b/.exec(text);
  if (m === null)
    throw new SentinelCharmError(
      'sentinel-reply-invalid',
      `cannot read the reply to SENTINEL CKQUORUM: expected "OK|NOQUORUM <n> usable Sentinels", got ${JSON.stringify(text.slice(0, 200))}`,
      { command: 'SENTINEL CKQUORUM' },
    );
  return { ok: m[1] === 'OK', usable: Number(m[2]), message: text };
}

/** Parses the reply to `SENTINEL MASTER <name>`. */
export function parseMasterReply(reply: unknown): MasterView {
  const r = flatToRecord(reply, 'SENTINEL MASTER');
  const parsed = MasterView.safeParse({
    name: r['name'],
    ip: r['ip'],
    port: r['port'],
    flags: (r['flags'] ?? '').split(',').filter((f) => f !== ''),
    configEpoch: r['config-epoch'],
    numSlaves: r['num-slaves'],
    numOtherSentinels: r['num-other-sentinels'],
    quorum: r['quorum'],
    downAfterMilliseconds: r['down-after-milliseconds'],
    failoverTimeout: r['failover-timeout'],
    parallelSyncs: r['parallel-syncs'],
  });
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new SentinelCharmError(
      'sentinel-reply-invalid',
      `cannot read the reply to SENTINEL MASTER: missing or malformed ${where}`,
      { fields: where },
    );
  }
  return parsed.data;
}

/** Whether the master of a view is usable as "the primary" (not seen down). */
export function masterHealthy(view: MasterView): boolean {
  return !view.flags.some((f) => f === 's_down' || f === 'o_down' || f === 'disconnected');
}

/** One entry of `SENTINEL SENTINELS` or `SENTINEL REPLICAS`: where it is and how sentinel sees it. */
export interface InstanceView {
  ip: string;
  port: number;
  flags: string[];
}

/** Parses the reply to `SENTINEL SENTINELS|REPLICAS <name>`: a list of flat key/value lists. */
export function parseInstanceList(reply: unknown, command: string): InstanceView[] {
  if (!Array.isArray(reply))
    throw new SentinelCharmError('sentinel-reply-invalid', `cannot read the reply to ${command}: expected a list`, {
      command,
    });
  return reply.map((entry) => {
    const r = flatToRecord(entry, command);
    const port = Number(r['port']);
    if (r['ip'] === undefined || !Number.isInteger(port))
      throw new SentinelCharmError(
        'sentinel-reply-invalid',
        `cannot read the reply to ${command}: an entry lacks ip or port`,
        {
          command,
        },
      );
    return { ip: r['ip'], port, flags: (r['flags'] ?? '').split(',').filter((f) => f !== '') };
  });
}

/** Whether sentinel considers an instance gone (down or disconnected). */
export function instanceDown(i: InstanceView): boolean {
  return i.flags.some((f) => f === 's_down' || f === 'o_down' || f === 'disconnected');
}
