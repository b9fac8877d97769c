/** Shows what a long operation is doing: a spinner line on a TTY, plain lines (only changes) otherwise. */
export interface Progress {
  update(message: string): void;
  done(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function progress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  if (quiet) return { update: () => undefined, done: () => undefined };
  if (!stream.isTTY) {
    let last = '';
    return {
      update(message) {
        if (message !== last) stream.write(message + '\n');
        last = message;
      },
      done: () => undefined,
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
