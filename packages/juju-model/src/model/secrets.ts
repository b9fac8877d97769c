/** Secret data operations shared by hook tools (reads with pending ops) and commit (apply). */
import { randomBytes } from 'node:crypto';
import type { SecretOp } from './context-types.js';
import type { Model, Secret } from './schema.js';
import { nextRotateTime, willRotate } from './secret-schedule.js';
import { appOf } from './util.js';

const xidAlphabet = '0123456789abcdefghijklmnopqrstuv';

/** A new secret URI `secret:<xid>` (20 base32hex characters, like Juju's xid). */
export function newSecretUri(bytes: Buffer = randomBytes(12)): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += xidAlphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += xidAlphabet[(value << (5 - bits)) & 31];
  return `secret:${out}`;
}

/** Parses `secret:<xid>` or `secret://<model-uuid>/<xid>` into the canonical `secret:<xid>`, or null. */
export function parseSecretUri(s: string): string | null {
  const m = /^secret:(?:\/\/[^/]+\/)?([0-9a-v]{20})$/.exec(s);
  return m ? `secret:${m[1]}` : null;
}

/** The xid part of a canonical secret URI. */
export function secretXid(uri: string): string {
  return uri.slice('secret:'.length);
}

/** A new revision record; its expiry is first queued at its expire time. */
function revision(
  revision: number,
  content: Record<string, string>,
  created: string,
  expire: string | null,
): Secret['revisions'][number] {
  return { revision, content, created, expire, expireNext: expire, expireDue: false };
}

/**
 * Applies one buffered secret op to a secrets map (in place), as Juju's secrets manager does on
 * the hook's flush: a rotating policy gets its first rotate time one (scaled) period from `now`
 * when the secret is added or starts rotating; `never` drops it; a new revision carries the
 * op's expire time (old revisions keep theirs); `--expire` alone re-times the latest revision.
 */
export function applySecretOp(secrets: Record<string, Secret>, op: SecretOp, now: string, scale = 1): void {
  const at = new Date(now);
  const firstRotate = (policy: string | null) => nextRotateTime(policy, at, at, scale)?.toISOString() ?? null;
  switch (op.op) {
    case 'add':
      secrets[op.id] = {
        id: op.id,
        owner: op.owner,
        label: op.label,
        description: op.description,
        rotate: op.rotate,
        rotateNext: firstRotate(op.rotate),
        rotateDue: false,
        revisions: [revision(1, op.content, now, op.expire)],
        latest: 1,
        grants: [],
        consumers: {},
        removeNotified: [],
        created: now,
      };
      return;
    case 'set': {
      const s = secrets[op.id];
      if (!s) return;
      if (op.label !== undefined) s.label = op.label;
      if (op.description !== undefined) s.description = op.description;
      if (op.rotate !== undefined) {
        if (!willRotate(op.rotate)) {
          s.rotateNext = null;
          s.rotateDue = false;
        } else if (!willRotate(s.rotate)) s.rotateNext = firstRotate(op.rotate);
        s.rotate = op.rotate;
      }
      const latest = s.revisions.find((r) => r.revision === s.latest);
      if (op.content && JSON.stringify(sorted(latest?.content ?? {})) !== JSON.stringify(sorted(op.content))) {
        s.latest += 1;
        s.revisions.push(revision(s.latest, op.content, now, op.expire ?? null));
      } else if (op.expire !== undefined && latest) {
        latest.expire = op.expire;
        latest.expireNext = op.expire;
        latest.expireDue = false;
      }
      return;
    }
    case 'remove': {
      const s = secrets[op.id];
      if (!s) return;
      if (op.revision === null) {
        delete secrets[op.id];
        return;
      }
      s.revisions = s.revisions.filter((r) => r.revision !== op.revision);
      if (s.revisions.length === 0) delete secrets[op.id];
      return;
    }
    case 'grant': {
      const s = secrets[op.id];
      if (s && !s.grants.some((g) => g.subject === op.subject && g.relationId === op.relationId))
        s.grants.push({ subject: op.subject, relationId: op.relationId });
      return;
    }
    case 'revoke': {
      const s = secrets[op.id];
      if (s)
        s.grants = s.grants.filter(
          (g) => !(g.subject === op.subject && (op.relationId < 0 || g.relationId === op.relationId)),
        );
      return;
    }
  }
}

function sorted(o: Record<string, string>): [string, string][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
}

/** The secrets as a running hook sees them: the model's plus its own pending ops. */
export function secretsView(model: Model, pending: SecretOp[], now: string): Record<string, Secret> {
  if (pending.length === 0) return model.secrets;
  const view = structuredClone(model.secrets);
  for (const op of pending) applySecretOp(view, op, now, model.secretTimeScale);
  return view;
}

/** True when `unit` is on the owning side of the secret (its app's units for app secrets). */
export function isOwnerSide(unit: string, s: Secret): boolean {
  return s.owner.kind === 'unit' ? s.owner.name === unit : s.owner.name === appOf(unit);
}

/** True when `unit` may read the secret as a consumer: granted to it or its app on a live relation. */
export function isGranted(model: Model, unit: string, s: Secret): boolean {
  return s.grants.some(
    (g) => (g.subject === unit || g.subject === appOf(unit)) && model.relations[String(g.relationId)]?.life === 'alive',
  );
}
