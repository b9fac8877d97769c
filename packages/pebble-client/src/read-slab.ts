/** The first slab of a connection: small answers (a push's, a small file's) pin no more than libuv's read. */
export const FIRST_SLAB_BYTES = 64 * 1024;
/** Slabs double up to this while an answer keeps coming. */
export const MAX_SLAB_BYTES = 1024 * 1024;

/**
 * Memory for a socket's reads (`net.connect`'s `onread`): each read goes into the rest of the current
 * slab, so a read can take everything the socket holds (a unix socket buffers ~210 KiB; libuv's own
 * reads stop at 64 KiB), and what was read is handed on as a view that owns its bytes (nothing is
 * reused: consumers keep the chunks they are given). A new slab, twice the last one's size up to
 * {@link MAX_SLAB_BYTES}, is taken when less than a quarter of one is left.
 */
export class ReadSlab {
  private slab: Buffer | undefined;
  private size = 0;
  private offset = 0;
  private region: Buffer | undefined;

  constructor(
    private readonly firstBytes = FIRST_SLAB_BYTES,
    private readonly maxBytes = MAX_SLAB_BYTES,
  ) {}

  /** Where the next read goes. */
  next(): Buffer {
    if (!this.slab || this.size - this.offset < this.size / 4) {
      this.size = this.slab ? Math.min(this.maxBytes, this.size * 2) : this.firstBytes;
      this.slab = Buffer.allocUnsafeSlow(this.size);
      this.offset = 0;
    }
    this.region = this.slab.subarray(this.offset);
    return this.region;
  }

  /** The `n` bytes just read into the region {@link next} gave last; the next read goes after them. */
  take(n: number): Buffer {
    const region = this.region ?? this.next();
    this.offset += n;
    return region.subarray(0, n);
  }
}
