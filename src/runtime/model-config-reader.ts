/**
 * Reads a parsed YAML mapping field by field, recording every problem as an issue with its key path
 * (`variants[2].accuracy`) instead of stopping at the first, so a user fixes a config file in one pass.
 * A getter returns `undefined` when the key is invalid or missing-and-required; the issue says which.
 */

/** One problem of a config file: the key path (`''` for the document) and what is wrong. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

export interface NumberRule {
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** `min` itself is not allowed. */
  readonly exclusiveMin?: boolean;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a rule reads in a message: "an integer >= 1", "a number in [0, 1]", "a number > 0". */
function describeRule(rule: NumberRule): string {
  const kind = rule.integer === true ? 'an integer' : 'a number';
  if (rule.min !== undefined && rule.max !== undefined && rule.exclusiveMin !== true)
    return `${kind} in [${rule.min}, ${rule.max}]`;
  const bounds = [
    rule.min === undefined ? '' : `${rule.exclusiveMin === true ? '>' : '>='} ${rule.min}`,
    rule.max === undefined ? '' : `<= ${rule.max}`,
  ].filter((b) => b !== '');
  return bounds.length === 0 ? kind : `${kind} ${bounds.join(' and ')}`;
}

export class ConfigReader {
  private constructor(
    private readonly value: Record<string, unknown>,
    /** Key path of this mapping; `''` for the document. */
    readonly path: string,
    readonly issues: ConfigIssue[],
  ) {}

  /**
   * A reader over `value`, which must be a mapping whose keys are all in `allowed`; records the issue and
   * returns undefined when it is not a mapping. Unknown keys are issues too (a misspelt optional key would
   * otherwise be silently ignored).
   */
  static of(
    value: unknown,
    path: string,
    issues: ConfigIssue[],
    allowed: readonly string[],
  ): ConfigReader | undefined {
    if (!isMapping(value)) {
      issues.push({ path, message: 'must be a mapping (key: value pairs)' });
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key))
        issues.push({
          path: ConfigReader.join(path, key),
          message: `unknown key (allowed: ${allowed.join(', ')})`,
        });
    }
    return new ConfigReader(value, path, issues);
  }

  static join(path: string, key: string | number): string {
    if (typeof key === 'number') return `${path}[${key}]`;
    return path === '' ? key : `${path}.${key}`;
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  /** Records an issue at `key` of this mapping (for checks across keys). */
  fail(key: string, message: string): void {
    this.issues.push({ path: ConfigReader.join(this.path, key), message });
  }

  string(
    key: string,
    options: { readonly default?: string; readonly pattern?: RegExp; readonly patternText?: string } = {},
  ): string | undefined {
    const value = this.value[key];
    if (value === undefined || value === null) return this.missing(key, options.default);
    if (typeof value !== 'string' || value === '') return this.invalid(key, 'must be a non-empty string');
    if (options.pattern !== undefined && !options.pattern.test(value))
      return this.invalid(key, `must be ${options.patternText ?? `like ${options.pattern.source}`}`);
    return value;
  }

  oneOf<T extends string>(key: string, choices: readonly T[], fallback?: T): T | undefined {
    const value = this.value[key];
    if (value === undefined || value === null) return this.missing(key, fallback);
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      return this.invalid(key, `must be one of ${choices.join(', ')}`);
    }
    return value as T;
  }

  number(key: string, rule: NumberRule, fallback?: number): number | undefined {
    const value = this.value[key];
    if (value === undefined || value === null) return this.missing(key, fallback);
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (rule.integer !== true || Number.isInteger(value)) &&
      (rule.min === undefined || (rule.exclusiveMin === true ? value > rule.min : value >= rule.min)) &&
      (rule.max === undefined || value <= rule.max);
    return ok ? value : this.invalid(key, `must be ${describeRule(rule)}`);
  }

  /** A required list; `nonEmpty` (default true) rejects `[]`. */
  list(key: string, options: { readonly nonEmpty?: boolean } = {}): unknown[] | undefined {
    const value = this.value[key];
    if (value === undefined || value === null) return this.missing(key, undefined);
    if (!Array.isArray(value)) return this.invalid(key, 'must be a list');
    if (options.nonEmpty !== false && value.length === 0)
      return this.invalid(key, 'must list at least one entry');
    return value as unknown[];
  }

  /** A nested mapping; an absent key reads as an empty mapping (every nested key is optional then). */
  mapping(key: string, allowed: readonly string[]): ConfigReader | undefined {
    const value = this.value[key];
    return ConfigReader.of(value ?? {}, ConfigReader.join(this.path, key), this.issues, allowed);
  }

  private missing<T>(key: string, fallback: T | undefined): T | undefined {
    if (fallback === undefined) this.fail(key, 'is required');
    return fallback;
  }

  private invalid(key: string, message: string): undefined {
    this.fail(key, message);
    return undefined;
  }
}
