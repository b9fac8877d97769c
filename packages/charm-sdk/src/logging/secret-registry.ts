/**
 * Secret values this process has seen (secret-get content, generated passwords). Logs replace them
 * with `[REDACTED]` and hook tools refuse argv carrying them. One dispatch is one process, so the
 * registry is process-wide.
 */
export class SecretRegistry {
  readonly #values = new Set<string>();
  #pattern: RegExp | undefined;

  /**
   * Remembers `value` (and its JSON-escaped form) as secret. Values
   * shorter than 6 characters are ignored (too common to redact).
   */
  add(value: string): void {
    if (value.length < 6) return;
    for (const v of [value, JSON.stringify(value).slice(1, -1)]) {
      if (!this.#values.has(v)) {
        this.#values.add(v);
        this.#pattern = undefined;
      }
    }
  }

  /** Whether `text` contains a registered value. */
  test(text: string): boolean {
    const re = this.#regex();
    return re !== undefined && new RegExp(re.source).test(text);
  }

  /** `text` with every registered value replaced by `[REDACTED]`. */
  redact(text: string): string {
    const re = this.#regex();
    return re === undefined ? text : text.replace(re, '[REDACTED]');
  }

  clear(): void {
    this.#values.clear();
    this.#pattern = undefined;
  }

  #regex(): RegExp | undefined {
    if (this.#values.size === 0) return undefined;
    // longest first so a value that contains another is replaced whole
    const sorted = [...this.#values].sort((a, b) => b.length - a.length);
    this.#pattern ??= new RegExp(sorted.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
    return this.#pattern;
  }
}

/** The process-wide registry. */
export const secrets = new SecretRegistry();

/** Registers a secret value with the process-wide registry. */
export function registerSecret(value: string): void {
  secrets.add(value);
}

/** Whether `text` contains a registered secret value. */
export function secretsIn(text: string): boolean {
  return secrets.test(text);
}

/** `text` with registered secret values replaced. */
export function redactSecrets(text: string): string {
  return secrets.redact(text);
}
