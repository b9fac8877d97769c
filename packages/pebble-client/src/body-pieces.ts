/**
 * Join the body pieces of one received chunk into one view of it, moving bytes inside `chunk`: the
 * largest piece stays where it is and the others are moved up against it, over the chunked-coding
 * framing between them. So a socket read becomes one stream chunk (one push, one delimiter search)
 * instead of one per HTTP chunk it touches.
 * @param chunk a received chunk nobody else reads (its bytes are rearranged)
 * @param pieces non-empty, in order, non-overlapping views of `chunk`
 */
export function joinPieces(chunk: Buffer, pieces: readonly Buffer[]): Buffer {
  const first = pieces[0] as Buffer;
  if (pieces.length === 1) return first;
  const base = chunk.byteOffset;
  let pivot = 0;
  for (let i = 1; i < pieces.length; i++)
    if ((pieces[i] as Buffer).length > (pieces[pivot] as Buffer).length) pivot = i;
  const kept = pieces[pivot] as Buffer;
  let start = kept.byteOffset - base;
  for (let i = pivot - 1; i >= 0; i--) {
    const piece = pieces[i] as Buffer;
    const from = piece.byteOffset - base;
    start -= piece.length;
    chunk.copyWithin(start, from, from + piece.length);
  }
  let end = kept.byteOffset - base + kept.length;
  for (let i = pivot + 1; i < pieces.length; i++) {
    const piece = pieces[i] as Buffer;
    const from = piece.byteOffset - base;
    chunk.copyWithin(end, from, from + piece.length);
    end += piece.length;
  }
  return chunk.subarray(start, end);
}
