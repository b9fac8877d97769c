import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { HASH_TAIL } from './record-codec.js';

/** A sealed segment for the verifier: its file name and where reading starts. */
export interface DigestJob {
  name: string;
  offset: number;
}

/** Verifies line digests of sealed segments on another thread, ahead of the reader. */
export interface DigestVerifier {
  /**
   * Absolute byte offset in segment `name` up to which every whole line's SHA-256 matches its
   * stored digest (the job's offset when nothing was verified, e.g. after a worker failure).
   */
  verifiedUpTo(name: string): Promise<number>;
  /** Stops the worker; pending answers resolve to "nothing verified". */
  close(): Promise<void>;
}

/**
 * The worker's whole program (an eval worker, so it runs from any bundle). For each job in order it
 * hashes every line's body and compares it with the stored digits, and posts the end of the last
 * line that matched; it stops at the first line that does not, and the reader re-checks from there
 * with full error reporting.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
const { dir, jobs, tail, chunk } = workerData;
const io = Buffer.allocUnsafe(chunk);
for (const job of jobs) {
  let verified = job.offset;
  let fd;
  try {
    fd = fs.openSync(require('node:path').join(dir, job.name), 'r');
    let buf = Buffer.allocUnsafe(0);
    let position = job.offset;
    let good = true;
    while (good) {
      const n = fs.readSync(fd, io, 0, chunk, position);
      if (n === 0) break;
      position += n;
      buf = buf.length === 0 ? Buffer.from(io.subarray(0, n)) : Buffer.concat([buf, io.subarray(0, n)]);
      let pos = 0;
      for (let nl = buf.indexOf(10, pos); nl !== -1; nl = buf.indexOf(10, pos)) {
        const len = nl - pos;
        if (len <= tail) { good = false; break; }
        const hex = crypto.hash('sha256', buf.subarray(pos, nl - tail), 'hex');
        const at = nl - 66;
        for (let k = 0; k < 64; k++) if (buf[at + k] !== hex.charCodeAt(k)) { good = false; break; }
        if (!good) break;
        verified += len + 1;
        pos = nl + 1;
      }
      buf = buf.subarray(pos);
    }
  } catch {
    // unreadable here: the reader reads it itself and reports the error
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  parentPort.postMessage({ name: job.name, verified });
}
`;

/**
 * Starts a worker that verifies the digests of `jobs` (sealed segments, oldest first) while the
 * caller parses earlier ones, so a long read uses both cores. Only for the real filesystem.
 */
export function startDigestVerifier(dir: string, jobs: readonly DigestJob[], chunkSize = 1 << 20): DigestVerifier {
  const answers = new Map<string, { promise: Promise<number>; resolve: (bytes: number) => void }>();
  for (const job of jobs) {
    let resolve!: (bytes: number) => void;
    const promise = new Promise<number>((r) => (resolve = r));
    answers.set(job.name, { promise, resolve });
  }
  const giveUp = () => {
    for (const job of jobs) answers.get(job.name)?.resolve(job.offset);
  };
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      dir: path.resolve(dir),
      jobs: jobs.map((j) => ({ name: j.name, offset: j.offset })),
      tail: HASH_TAIL,
      chunk: chunkSize,
    },
  });
  worker.on('message', (m: { name: string; verified: number }) => answers.get(m.name)?.resolve(m.verified));
  worker.on('error', giveUp);
  worker.on('exit', giveUp);
  return {
    verifiedUpTo: (name) => answers.get(name)?.promise ?? Promise.resolve(0),
    close: async () => {
      giveUp();
      await worker.terminate();
    },
  };
}
