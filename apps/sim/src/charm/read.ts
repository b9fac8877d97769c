/** Reading charm directories and .charm archives. */
import type { Charm } from './schema.js';

/** Reads and validates a charm directory or `.charm` zip. Throws SimModelError `bad-charm` with the file and field. */
export async function readCharm(_path: string): Promise<Charm> {
  throw new Error('not implemented');
}

/** Unpacks a `.charm` zip into `dest`, keeping executable bits (dispatch, hooks/*). */
export async function extractCharm(_path: string, _dest: string): Promise<void> {
  throw new Error('not implemented');
}
