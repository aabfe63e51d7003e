/** Parsers for command-line option values; each fails with a `UsageError` naming the option. */
import { UsageError } from './command.js';

export function number(text: string, option: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new UsageError(`${option} must be a number, not '${text}'`);
  return value;
}

export function positive(text: string, option: string): number {
  const value = number(text, option);
  if (value <= 0) throw new UsageError(`${option} must be greater than 0, not '${text}'`);
  return value;
}

export function nonNegative(text: string, option: string): number {
  const value = number(text, option);
  if (value < 0) throw new UsageError(`${option} must not be negative, not '${text}'`);
  return value;
}

export function positiveInteger(text: string, option: string): number {
  const value = positive(text, option);
  if (!Number.isSafeInteger(value)) throw new UsageError(`${option} must be a whole number, not '${text}'`);
  return value;
}

export function nonNegativeInteger(text: string, option: string): number {
  const value = nonNegative(text, option);
  if (!Number.isSafeInteger(value)) throw new UsageError(`${option} must be a whole number, not '${text}'`);
  return value;
}

/** A comma-separated list, each item parsed by `item` (blank items are skipped; an empty list is refused). */
export function list<T>(text: string, option: string, item: (part: string, option: string) => T): T[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError(`${option} lists nothing`);
  return parts.map((part) => item(part, option));
}

/** One of `choices`. */
export function oneOf<T extends string>(text: string, option: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text))
    throw new UsageError(`${option} must be one of ${choices.join(', ')}, not '${text}'`);
  return text as T;
}
