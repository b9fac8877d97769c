import { StringDecoder } from 'node:string_decoder';

/** What a hook may keep of one output stream for its outcome (action results carry it). */
export const DEFAULT_CAPTURE_LIMIT = 1024 * 1024;

/** A line longer than this goes to debug-log in pieces, so a stream with no newline stays bounded too. */
export const MAX_LINE = 64 * 1024;

/** Marker appended to a captured stream that went over its limit. */
export const TRUNCATED_MARKER = '\n[charm-sim: output truncated; the whole stream is in debug-log]\n';

/** One output stream of a hook: whole lines for debug-log, and a bounded copy for the outcome. */
export interface OutputCapture {
  /** Feeds one chunk as the child wrote it; multi-byte characters split across chunks stay whole. */
  push(chunk: Buffer | string): void;
  /** Flushes the last partial line (and any incomplete character) and returns the kept text. */
  end(): string;
}

/**
 * Splits a byte stream into lines for `emit` and keeps at most `limit` bytes of its text.
 * Lines go to `emit` in full whatever the limit: debug-log is where a long output is read.
 */
export function captureOutput(emit: (line: string) => void, limit = DEFAULT_CAPTURE_LIMIT): OutputCapture {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let kept = '';
  let keptBytes = 0;
  let truncated = false;
  const take = (text: string): void => {
    if (!text) return;
    rest += text;
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) emit(line);
    while (rest.length > MAX_LINE) {
      emit(rest.slice(0, MAX_LINE));
      rest = rest.slice(MAX_LINE);
    }
    if (truncated) return;
    const bytes = Buffer.byteLength(text);
    if (keptBytes + bytes <= limit) {
      kept += text;
      keptBytes += bytes;
      return;
    }
    // cut on a character boundary: decode the allowed prefix and drop a trailing partial character
    const room = Buffer.from(text).subarray(0, limit - keptBytes);
    kept += new StringDecoder('utf8').write(room);
    truncated = true;
  };
  return {
    push(chunk) {
      take(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    },
    end() {
      take(decoder.end());
      if (rest) emit(rest);
      rest = '';
      return truncated ? kept + TRUNCATED_MARKER : kept;
    },
  };
}
