import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  beginHook,
  commitHook,
  markPodRecreated,
  nextHook,
  nextSecretTrigger,
  observeBootId,
  observeCheck,
  observeNotice,
  retryFailedHook,
  timerSecrets,
  timerUpdateStatus,
  type Change,
  type HookContext,
  type HookOutcome,
  type HookSpec,
  type Model,
  type ToolRequest,
  type ToolResult,
} from '../model/api.js';
import { startHookToolServer, type HookToolServer } from '../hook-tools/index.js';
import { CHARM_VIEW, type ModelLayout } from '../pods/layout.js';
import type { DebugLog } from './debug-log.js';
import { findHandler, runInPod } from './hook-runner.js';
import { PodManager } from './pod-manager.js';
import type { PodNetwork } from '../pods/pod.js';
import { retryDelay, type Settings } from './settings.js';
import { serveToolCall, type ToolCallHost } from './tool-call.js';
import { activity, type Activity, type RuntimeFacts } from './settle.js';
import type { ModelStore } from './store.js';

/** How long kill-pod waits for a running hook before killing it anyway. */
const KILL_POD_HOOK_GRACE_MS = 60_000;

/** Dependencies of the {@link Controller}. */
export interface ControllerDeps {
  layout: ModelLayout;
  settings: Settings;
  pebbleBin: string;
  /** The model network pods plug into (see pods/pod-network.ts). */
  network: PodNetwork;
  store: ModelStore;
  log: DebugLog;
}

/**
 * Owns the model and drives it: one hook at a time per unit (units in parallel), pods, pollers,
 * retries, the update-status and secret timers and the hook-tool server. Every model change goes through
 * {@link Controller.apply}, which persists it, carries out its effects and wakes the units.
 */
export class Controller {
  model: Model;
  readonly pods: PodManager;
  private readonly running = new Map<string, string>();
  /** Units whose pod existed before (also in a previous controller): their next pod is a recreation. */
  private readonly hadPod: Set<string>;
  private readonly hookDone = new Map<string, Promise<void>>();
  private readonly contexts = new Map<string, HookContext>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  /** Units whose backoff elapsed while they were busy (an action): retried when idle. */
  private readonly retryDue = new Set<string>();
  private readonly podOps = new Map<string, Promise<void>>();
  private readonly listeners = new Set<() => void>();
  private readonly actionListeners = new Map<string, Set<() => void>>();
  private toolServer: HookToolServer | undefined;
  private updateStatusTimer: NodeJS.Timeout | undefined;
  private secretTimer: NodeJS.Timeout | undefined;
  /** When the secret timer fires (ms since the epoch); null when it is not armed. */
  private secretTimerAt: number | null = null;
  private reconcileQueued = false;
  private stopped = false;
  private stopping: Promise<void> | undefined;

  constructor(
    model: Model,
    private readonly deps: ControllerDeps,
  ) {
    this.model =
      model.secretTimeScale === deps.settings.secretTimeScale
        ? model
        : { ...model, secretTimeScale: deps.settings.secretTimeScale };
    this.hadPod = new Set(Object.keys(model.units));
    this.pods = new PodManager(deps.layout, deps, deps.settings.pebblePollIntervalMs, () => this.model, {
      bootId: (u, c, id) => this.observe(() => observeBootId(this.model, u, c, id)),
      check: (u, c, name, status) => this.observe(() => observeCheck(this.model, u, c, name, status)),
      notice: (u, c, n) => this.observe(() => observeNotice(this.model, u, c, n)),
      log: (level, unit, message) => deps.log.model(level, message, unit),
      phase: (unit, phase, recreated) => {
        if (phase === 'running' && recreated && this.model.units[unit]) this.apply(markPodRecreated(this.model, unit));
        this.reconcileSoon();
      },
      crashed: (unit, what) => {
        deps.log.model('WARNING', `pod of ${unit} died (${what} exited); recreating it`, unit);
        void this.killPod(unit);
      },
    });
  }

  /** Starts the hook-tool server, the update-status and secret timers, and brings pods up for every unit. */
  async start(): Promise<void> {
    await mkdir(this.deps.layout.run, { recursive: true });
    this.toolServer = await startHookToolServer({
      socketPath: join(this.deps.layout.run, 'agent.socket'),
      lookup: (id) => this.toolHandler(id),
    });
    this.updateStatusTimer = setInterval(
      () => this.apply(timerUpdateStatus(this.model)),
      this.deps.settings.updateStatusIntervalMs,
    );
    this.updateStatusTimer.unref();
    this.armSecretTimer();
    this.reconcileSoon();
  }

  /**
   * Arms one timer at the next secret rotate/expire time (re-armed
   * after every change); a future trigger queues nothing.
   */
  private armSecretTimer(): void {
    if (this.stopped) return;
    const at = nextSecretTrigger(this.model)?.getTime() ?? null;
    if (at === this.secretTimerAt) return;
    clearTimeout(this.secretTimer);
    this.secretTimerAt = at;
    if (at === null) return;
    const delay = Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1);
    this.secretTimer = setTimeout(() => {
      this.secretTimerAt = null;
      if (!this.stopped) this.apply(timerSecrets(this.model));
    }, delay);
    this.secretTimer.unref();
  }

  /**
   * Resolves once every model change applied so far is in the model file, and every log line so far in the debug log.
   */
  async persisted(): Promise<void> {
    await Promise.all([this.deps.store.flush(), this.deps.log.flushed()]);
  }

  /** Applies a model change: persist, effects, wake everything. */
  apply(change: Change): void {
    this.model = change.model;
    this.deps.store.save(this.model);
    for (const effect of change.effects) {
      switch (effect.type) {
        case 'log':
          this.deps.log.write(effect.entry);
          break;
        case 'recreate-pod':
          void this.recreatePod(effect.unit);
          break;
        case 'unit-removed':
          this.podOp(effect.unit, async () => {
            await this.hookDone.get(effect.unit);
            await this.pods.remove(effect.unit, effect.storage);
          });
          break;
        case 'action-finished':
          for (const f of this.actionListeners.get(effect.actionId) ?? []) f();
          break;
        case 'wake':
        case 'fetch-resource':
          break;
      }
    }
    this.armSecretTimer();
    this.reconcileSoon();
  }

  private observe(op: () => Change): void {
    if (this.stopped) return;
    try {
      this.apply(op());
    } catch (error) {
      this.deps.log.model('ERROR', `cannot record a Pebble observation: ${(error as Error).message}`);
    }
  }

  /** Runtime facts for settle and status. */
  facts(): RuntimeFacts {
    return { pods: this.pods.facts(), running: new Map(this.running) };
  }

  activity(): Activity {
    return activity(this.model, this.facts());
  }

  /** Calls `f` after every reconcile until the returned function is called. */
  onChange(f: () => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  /** Calls `f` when action `id` finishes. */
  onActionFinished(id: string, f: () => void): () => void {
    const set = this.actionListeners.get(id) ?? new Set();
    set.add(f);
    this.actionListeners.set(id, set);
    return () => set.delete(f);
  }

  reconcileSoon(): void {
    if (this.reconcileQueued || this.stopped) return;
    this.reconcileQueued = true;
    setImmediate(() => {
      this.reconcileQueued = false;
      this.reconcile();
    });
  }

  private reconcile(): void {
    if (this.stopped) return;
    for (const unit of Object.values(this.model.units)) {
      if (!this.pods.has(unit.name) && !this.podOps.has(unit.name) && unit.life !== 'dead') {
        const recreate = this.hadPod.has(unit.name);
        this.hadPod.add(unit.name);
        this.podOp(unit.name, () => this.pods.start(unit.name, recreate));
      }
      this.tick(unit.name);
    }
    for (const f of [...this.listeners]) f();
  }

  private podOp(unit: string, op: () => Promise<void>): void {
    const previous = this.podOps.get(unit) ?? Promise.resolve();
    const guarded = () => (this.stopped ? Promise.resolve() : op());
    const next = previous.then(guarded, guarded).finally(() => {
      if (this.podOps.get(unit) === next) this.podOps.delete(unit);
      this.reconcileSoon();
    });
    this.podOps.set(unit, next);
  }

  /** Starts the unit's next hook if it is idle and its pod runs: a due retry first, else what the resolver says. */
  private tick(unit: string): void {
    if (this.running.has(unit) || this.podOps.has(unit) || !this.pods.pod(unit)) return;
    if (this.retryDue.delete(unit)) {
      const retry = retryFailedHook(this.model, unit);
      if (retry) {
        this.launch(unit, retry);
        return;
      }
    }
    const spec = nextHook(this.model, unit);
    if (spec) this.launch(unit, spec);
  }

  private launch(unit: string, spec: HookSpec): void {
    this.running.set(unit, spec.name);
    const done = this.runHook(unit, spec)
      .catch((error: unknown) =>
        this.deps.log.model('ERROR', `cannot run ${spec.name}: ${(error as Error).message}`, unit),
      )
      .finally(() => {
        this.running.delete(unit);
        this.hookDone.delete(unit);
        this.reconcileSoon();
      });
    this.hookDone.set(unit, done);
  }

  private async runHook(unit: string, spec: HookSpec): Promise<void> {
    const pod = this.pods.pod(unit);
    if (!pod) return;
    if (spec.info.kind !== 'action') this.clearRetry(unit);
    const begun = beginHook(this.model, spec, { agentSocket: CHARM_VIEW.agentSocket, toolsDir: CHARM_VIEW.toolsDir });
    this.apply(begun);
    const ctx = begun.context;
    this.contexts.set(ctx.id, ctx);
    try {
      let handler: string | undefined;
      let outcome: HookOutcome;
      try {
        handler = await findHandler(pod.layout.charmDir, unit, spec.dispatchPath);
        outcome = handler
          ? await runInPod(pod, { unit, name: spec.name, handler, env: ctx.env, log: (e) => this.deps.log.write(e) })
          : { exitCode: 0, missingHandler: true };
      } catch (error) {
        // the hook could not be started (the pod went away under it): a failed hook, retried as Juju does,
        // never a unit left marked as running a hook nothing runs
        const message = `cannot run ${spec.name}: ${(error as Error).message}`;
        this.deps.log.model('ERROR', message, unit);
        outcome = { exitCode: 127, stderr: `${message}\n` };
      }
      this.contexts.delete(ctx.id);
      if (this.stopped) return;
      this.apply(commitHook(this.model, ctx, outcome));
      if (outcome.exitCode === 0) {
        const via = handler?.endsWith('/dispatch')
          ? 'via hook dispatching script: dispatch'
          : handler
            ? `via explicit, bespoke hook script`
            : 'no handler: skipped';
        const what = spec.info.kind === 'action' ? `action "${spec.name}"` : `"${spec.name}" hook`;
        this.deps.log.write({
          time: new Date().toISOString(),
          unit,
          hook: spec.name,
          level: 'INFO',
          logger: 'juju.worker.uniter.operation',
          message: `ran ${what} (${via})`,
        });
      }
    } finally {
      this.contexts.delete(ctx.id);
    }
    const failed = this.model.units[unit]?.failed;
    if (failed && spec.info.kind !== 'action') this.scheduleRetry(unit, failed.attempts);
  }

  private toolHandler(contextId: string): ((req: ToolRequest) => Promise<ToolResult>) | undefined {
    const ctx = this.contexts.get(contextId);
    if (!ctx) return undefined;
    return (req) => serveToolCall(this.toolHost, ctx, req);
  }

  /** The controller as the hook-tool calls see it. */
  private readonly toolHost: ToolCallHost = {
    model: () => this.model,
    apply: (change) => this.apply(change),
    fetchResource: (unit, to, from, content) => this.pods.fetchResource(unit, to, from, content),
    crashed: (tool, unit, error) =>
      this.deps.log.model('ERROR', `hook tool ${tool} crashed: ${(error as Error).stack ?? String(error)}`, unit),
  };

  private scheduleRetry(unit: string, attempts: number): void {
    this.clearRetry(unit);
    const delay = retryDelay(this.deps.settings, attempts);
    this.deps.log.model('INFO', `retrying the failed hook in ${delay} ms`, unit);
    const timer = setTimeout(() => {
      this.retryTimers.delete(unit);
      this.retryDue.add(unit);
      this.reconcileSoon();
    }, delay);
    this.retryTimers.set(unit, timer);
  }

  /** Cancels a pending automatic retry (a hook is starting anyway, or `resolved` ran). */
  clearRetry(unit: string): void {
    const t = this.retryTimers.get(unit);
    if (t) clearTimeout(t);
    this.retryTimers.delete(unit);
    this.retryDue.delete(unit);
  }

  /** kill-pod: waits (bounded) for a running hook, kills every process of the pod, starts a replacement. */
  killPod(unit: string): Promise<void> {
    this.podOp(unit, async () => {
      const running = this.hookDone.get(unit);
      if (running) await Promise.race([running, new Promise((r) => setTimeout(r, KILL_POD_HOOK_GRACE_MS))]);
      await this.pods.kill(unit);
      this.deps.log.model('INFO', `pod of ${unit} killed`, unit);
      if (this.model.units[unit]) await this.pods.start(unit, true);
    });
    return this.podOps.get(unit) ?? Promise.resolve();
  }

  /** The `recreate-pod` effect (refresh, attach-resource): replace the pod once stop has run. */
  private recreatePod(unit: string): Promise<void> {
    this.podOp(unit, async () => {
      await this.hookDone.get(unit);
      await this.pods.kill(unit);
      if (this.model.units[unit]) await this.pods.start(unit, true);
    });
    return this.podOps.get(unit) ?? Promise.resolve();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Stops everything: timers, pollers, pods (all processes at once), the hook-tool server. Idempotent. */
  stop(): Promise<void> {
    return (this.stopping ??= this.doStop());
  }

  private async doStop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.updateStatusTimer);
    clearTimeout(this.secretTimer);
    for (const t of this.retryTimers.values()) clearTimeout(t);
    await this.pods.killAll();
    await Promise.allSettled([...this.podOps.values()]);
    await this.pods.killAll();
    await Promise.allSettled([...this.hookDone.values()]);
    await this.toolServer?.close();
    await this.deps.store.flush();
  }
}
