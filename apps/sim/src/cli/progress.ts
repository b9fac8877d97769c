/** Shows what a long operation is doing: a spinner line on a TTY, plain lines (only changes) otherwise. */
export interface Progress {
  update(message: string): void;
  done(): void;
}

/** Minimum time between two plain progress lines. */
export const PLAIN_INTERVAL_MS = 1000;
const now = () => performance.now();

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function progress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  if (quiet) return { update: () => undefined, done: () => undefined };
  if (!stream.isTTY) {
    // logs and CI get one line per change, at most every `PLAIN_INTERVAL_MS`, and the final state
    let printed = '';
    let pending = '';
    let lastAt = -Infinity;
    return {
      update(message) {
        pending = message;
        if (message === printed || now() - lastAt < PLAIN_INTERVAL_MS) return;
        stream.write(message + '\n');
        printed = message;
        lastAt = now();
      },
      done() {
        if (pending !== printed) stream.write(pending + '\n');
        printed = pending;
      },
    };
  }
  let message = '';
  let frame = 0;
  const width = () => Math.max(20, (stream.columns ?? 80) - 3);
  const draw = () => stream.write(`\r\x1b[K${FRAMES[frame++ % FRAMES.length]} ${message.slice(0, width())}`);
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    update(m) {
      message = m;
      draw();
    },
    done() {
      clearInterval(timer);
      stream.write('\r\x1b[K');
    },
  };
}
