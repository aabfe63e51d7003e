// Table latency models: linear between measured points, 1/c below the fewest cores measured (a quota
// stretches the work), the last measured value above the most cores.
import { describe, expect, it } from 'vitest';
import { estimateLatencyMs, type LatencyModel } from '../../src/core/latency-model.js';

const table: LatencyModel = {
  kind: 'table',
  points: [
    { batch: 1, cores: 0.5, latencyMs: 800 },
    { batch: 1, cores: 1, latencyMs: 400 },
    { batch: 1, cores: 2, latencyMs: 200 },
    { batch: 4, cores: 0.5, latencyMs: 2400 },
    { batch: 4, cores: 1, latencyMs: 1200 },
    { batch: 4, cores: 2, latencyMs: 600 },
  ],
};

describe('table latency model', () => {
  it('gives the measured points and interpolates between them', () => {
    expect(estimateLatencyMs(table, 1, 1)).toBeCloseTo(400);
    expect(estimateLatencyMs(table, 4, 2)).toBeCloseTo(600);
    expect(estimateLatencyMs(table, 2, 1)).toBeCloseTo(400 + (1200 - 400) / 3);
  });

  it('scales as 1/c below the fewest cores measured, never faster', () => {
    expect(estimateLatencyMs(table, 1, 0.25)).toBeCloseTo(1600);
    expect(estimateLatencyMs(table, 4, 0.25)).toBeCloseTo(4800);
  });

  it('stays at the last measured value above the most cores', () => {
    expect(estimateLatencyMs(table, 1, 4)).toBeCloseTo(200);
  });
});
