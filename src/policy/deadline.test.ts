import { describe, expect, it } from 'vitest';
import { SluiceError } from '../core/errors.js';
import { computeDeadline, type DeadlineHints } from './deadline.js';

describe('computeDeadline', () => {
  const cases: [string, DeadlineHints, number, string][] = [
    ['default SLO', {}, 1000 + 750, 'default'],
    ['timeout in µs wins', { timeoutUs: 200_000, sloMs: 50, headerSloMs: 70 }, 1000 + 200, 'timeout'],
    ['timeout 0 means none (Triton)', { timeoutUs: 0, sloMs: 50 }, 1000 + 50, 'slo_ms'],
    ['slo_ms before the header', { sloMs: 50, headerSloMs: 70 }, 1000 + 50, 'slo_ms'],
    ['header before the default', { headerSloMs: 70 }, 1000 + 70, 'header'],
    ['network time is subtracted', { sloMs: 1000, networkMs: 380 }, 1000 + 620, 'slo_ms'],
    ['network may exceed the SLO', { sloMs: 100, networkMs: 150 }, 1000 - 50, 'slo_ms'],
  ];
  it.each(cases)('%s', (_name, hints, deadlineMs, source) => {
    const result = computeDeadline(1000, hints, 750);
    expect(result).not.toBeInstanceOf(SluiceError);
    if (result instanceof SluiceError) return;
    expect(result.deadlineMs).toBeCloseTo(deadlineMs, 9);
    expect(result.source).toBe(source);
    expect(result.budgetMs).toBeCloseTo(deadlineMs - 1000, 9);
  });

  it.each([
    [{ sloMs: -1 }, 'parameters.slo_ms'],
    [{ timeoutUs: Number.NaN }, 'parameters.timeout'],
    [{ networkMs: Number.POSITIVE_INFINITY }, 'network_ms'],
    [{ headerSloMs: '5' as unknown as number }, 'x-sluice-slo-ms'],
  ])('rejects %o naming the hint', (hints, name) => {
    const result = computeDeadline(0, hints, 750);
    expect(result).toBeInstanceOf(SluiceError);
    expect((result as SluiceError).code).toBe('INVALID_REQUEST');
    expect((result as SluiceError).message).toContain(name);
  });
});
