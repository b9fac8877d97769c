import { parseSecretUri } from '@charms/juju-model';
import * as tools from '../hook-tools/secret.js';
import type { HookToolRunner } from '../hook-tools/runner.js';

/** A secret reference as the event log stores it: never its content. */
export interface SecretRef {
  id: string;
  label?: string;
  revision?: number;
}

/**
 * Juju secrets of this unit and app. Content read here is registered for redaction, so it can
 * appear neither in logs nor in any hook tool's argv.
 */
export class Secrets {
  constructor(private readonly runner: HookToolRunner) {}

  /** Creates a secret owned by the app (leader only) or the unit; returns its id. */
  add(content: tools.SecretContent, options: tools.SecretAddOptions = {}): Promise<string> {
    return tools.secretAdd(this.runner, content, options);
  }

  /** Content of a secret by id and/or label. */
  get(options: tools.SecretGetOptions): Promise<tools.SecretContent> {
    return tools.secretGet(this.runner, options);
  }

  /** Content, or undefined when no such secret exists (or is not readable yet): an id no secret URI can have. */
  async find(options: tools.SecretGetOptions): Promise<tools.SecretContent | undefined> {
    if (options.id !== undefined && parseSecretUri(options.id) === null) return undefined;
    try {
      return await tools.secretGet(this.runner, options);
    } catch (e) {
      if ((e as { code?: string }).code === 'not-found') return undefined;
      throw e;
    }
  }

  info(options: { id?: string; label?: string }): Promise<Record<string, tools.SecretInfo>> {
    return tools.secretInfoGet(this.runner, options);
  }

  set(
    id: string,
    content: tools.SecretContent | undefined,
    options: tools.SecretMetaOptions & { owner?: 'application' | 'unit' } = {},
  ): Promise<void> {
    return tools.secretSet(this.runner, id, content, options);
  }

  grant(id: string, relationId: number, options: { unit?: string } = {}): Promise<void> {
    return tools.secretGrant(this.runner, id, relationId, options);
  }

  revoke(id: string, relationId: number, options: { unit?: string } = {}): Promise<void> {
    return tools.secretRevoke(this.runner, id, relationId, options);
  }

  remove(id: string, options: { revision?: number } = {}): Promise<void> {
    return tools.secretRemove(this.runner, id, options);
  }

  ids(): Promise<string[]> {
    return tools.secretIds(this.runner);
  }
}
