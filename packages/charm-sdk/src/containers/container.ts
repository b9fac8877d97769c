import { join } from 'node:path';
import { PebbleClient, type LayerInput } from '@charms/pebble-client';
import { decideLayer, type LayerReport } from './reconcile-layer.js';

/** Where Juju mounts the workload containers' Pebble sockets in the charm container. */
export const DEFAULT_CONTAINERS_ROOT = '/charm/containers';

/** Where Juju (and charm-sim) mount the Pebble binary in every workload container. */
export const DEFAULT_PEBBLE_BIN = '/charm/bin/pebble';

/** The workload Pebble's socket inside its container, when neither PEBBLE_SOCKET nor PEBBLE is set. */
export const DEFAULT_PEBBLE_SOCKET = '/charm/container/pebble.socket';

/** Options of {@link container}. */
export interface ContainerOptions {
  /** Root holding `<name>/pebble.socket` (default `/charm/containers`; tests inject a temp dir). */
  root?: string;
  /** Per-request timeout for Pebble calls in milliseconds. */
  timeout?: number;
}

/** Options for pushing a file. */
export interface PushOptions {
  /** Octal permission bits, e.g. 0o600. */
  mode?: number;
  user?: string;
  group?: string;
  /** Create missing parent directories (default true). */
  makeDirs?: boolean;
}

/** What a hook can know about a container's Pebble without acting on it. */
export interface PebbleObservation {
  reachable: boolean;
  /** Changes when Pebble restarts, i.e. when the pod was restarted: null while unreachable. */
  bootId: string | null;
}

/** Options for making a directory. */
export interface MakeDirOptions {
  mode?: number;
  user?: string;
  group?: string;
  /** Create missing parents, and succeed if it exists (default true). */
  makeParents?: boolean;
}

/**
 * A workload container reached through its Pebble socket, with the helpers charms need: files,
 * directories and layer reconciliation.
 */
export class Container {
  readonly socketPath: string;
  #client: PebbleClient | undefined;
  /** Pebble answered through this container since it was made (or last closed). */
  #answered = false;

  constructor(
    readonly name: string,
    private readonly options: ContainerOptions = {},
  ) {
    this.socketPath = join(options.root ?? DEFAULT_CONTAINERS_ROOT, name, 'pebble.socket');
  }

  /** The Pebble client bound to this container's socket (created on first use). */
  get pebble(): PebbleClient {
    this.#client ??= new PebbleClient({ socketPath: this.socketPath, timeout: this.options.timeout, retry: false });
    return this.#client;
  }

  /**
   * Whether Pebble answers; false while the container is starting or gone. Once {@link observe} or
   * this call saw Pebble answer, it answers true without asking again until {@link close}: the
   * pipeline makes one Container per hook, so a hook asks Pebble for its system info once.
   */
  async canConnect(): Promise<boolean> {
    if (this.#answered) return true;
    try {
      await this.pebble.getSystemInfo({ timeout: this.options.timeout ?? 5000 });
      this.#answered = true;
      return true;
    } catch (e) {
      if (isConnectionError(e)) return false;
      throw e;
    }
  }

  /** Pushes `content` to `path` with mode and owner. */
  async push(path: string, content: string | Uint8Array, options: PushOptions = {}): Promise<void> {
    await this.pebble.push(path, content, {
      makeDirs: options.makeDirs ?? true,
      ...(options.mode === undefined ? {} : { permissions: options.mode }),
      ...(options.user === undefined ? {} : { user: options.user }),
      ...(options.group === undefined ? {} : { group: options.group }),
    });
  }

  /** Whether Pebble answers and its boot id, in one call; connection failures read as unreachable. */
  async observe(timeoutMs = this.options.timeout ?? 5000): Promise<PebbleObservation> {
    try {
      const info = await this.pebble.getSystemInfo({ timeout: timeoutMs });
      this.#answered = true;
      return { reachable: true, bootId: info.bootId };
    } catch (e) {
      if (isConnectionError(e)) return { reachable: false, bootId: null };
      throw e;
    }
  }

  /**
   * Pushes `content` unless the file already holds exactly it (a missing or unreadable file is
   * pushed); true when it pushed. Only content is compared: a mode or owner change alone is not seen.
   */
  async pushIfChanged(path: string, content: string | Uint8Array, options: PushOptions = {}): Promise<boolean> {
    const want = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const current = await this.pebble.pullBuffer(path).catch(() => undefined);
    if (current !== undefined && Buffer.compare(current, want) === 0) return false;
    await this.push(path, content, options);
    return true;
  }

  /** Reads a file as text. */
  async pullText(path: string): Promise<string> {
    return this.pebble.pullText(path);
  }

  /** Whether `path` exists in the container. */
  async exists(path: string): Promise<boolean> {
    try {
      await this.pebble.listFiles(path, { itself: true });
      return true;
    } catch (e) {
      if ((e as { code?: string; kind?: string }).code === 'path' && (e as { kind?: string }).kind === 'not-found')
        return false;
      throw e;
    }
  }

  /** Makes a directory (with parents by default). */
  async makeDir(path: string, options: MakeDirOptions = {}): Promise<void> {
    await this.pebble.makeDir(path, {
      makeParents: options.makeParents ?? true,
      ...(options.mode === undefined ? {} : { permissions: options.mode }),
      ...(options.user === undefined ? {} : { user: options.user }),
      ...(options.group === undefined ? {} : { group: options.group }),
    });
  }

  /**
   * Makes the plan include `desired` under `label`: adds the layer (combine) only if the plan would
   * change, restarts only the running services whose definition changed, and starts enabled
   * services that are not running. Returns what changed.
   */
  async reconcileLayer(label: string, desired: LayerInput): Promise<LayerReport> {
    const [plan, services] = await Promise.all([this.pebble.getPlan(), this.pebble.getServices()]);
    const { next: _next, ...decision } = decideLayer(plan, services, desired);
    if (decision.layerChanged) await this.pebble.addLayer(label, desired, { combine: true });
    if (decision.restarted.length > 0) await this.pebble.restartServices(decision.restarted);
    if (decision.started.length > 0) await this.pebble.startServices(decision.started);
    return decision;
  }

  /** Releases the socket connections. */
  async close(): Promise<void> {
    await this.#client?.close();
    this.#client = undefined;
    this.#answered = false;
  }
}

function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === 'connection' || code === 'socket-not-found' || code === 'timeout';
}

/** The container `name`, bound to `<root>/<name>/pebble.socket`. */
export function container(name: string, options: ContainerOptions = {}): Container {
  return new Container(name, options);
}
