import { describe, expect, it } from 'vitest';
import { admit, type AdmissionContext } from './admission.js';

const base: AdmissionContext = {
  nowMs: 1000,
  deadlineMs: 1100,
  rows: 1,
  rowsAhead: 0,
  queuedRows: 0,
  queueLength: 0,
  maxQueueLength: 10,
  instanceFreeInMs: [0],
  batchRows: 4,
  latencyMs: (rows) => 10 + 5 * rows,
  mode: 'reject',
};

describe('admit', () => {
  it('admits into an idle group and predicts its completion', () => {
    expect(admit(base)).toEqual({ admitted: true, predictedFinishMs: 1015 });
  });

  it('joins the partial batch ahead when it fits', () => {
    // 6 rows ahead at batch 4: one batch of 4 (30 ms), then 2 + 1 = 3 rows (25 ms).
    expect(admit({ ...base, rowsAhead: 6, queuedRows: 6 })).toEqual({
      admitted: true,
      predictedFinishMs: 1055,
    });
  });

  it('spreads the work ahead over instances by list scheduling', () => {
    // Two instances: batches of 4 alternate; instance 2 is busy for 12 more ms.
    expect(admit({ ...base, rowsAhead: 8, queuedRows: 8, instanceFreeInMs: [0, 12] })).toEqual({
      admitted: true,
      predictedFinishMs: 1000 + 30 + 15,
    });
  });

  it('refuses what would finish after the deadline, with a Retry-After', () => {
    const decision = admit({ ...base, rowsAhead: 16, queuedRows: 16 });
    expect(decision.admitted).toBe(false);
    if (decision.admitted) return;
    expect(decision.error.code).toBe('DEADLINE_UNMEETABLE');
    expect(decision.error.retryAfterMs).toBe(4 * 30);
  });

  it('admits the same request in drop and serve modes', () => {
    expect(admit({ ...base, rowsAhead: 16, queuedRows: 16, mode: 'drop' }).admitted).toBe(true);
    expect(admit({ ...base, rowsAhead: 16, queuedRows: 16, mode: 'serve' }).admitted).toBe(true);
  });

  it('refuses a full queue in every mode', () => {
    for (const mode of ['reject', 'drop', 'serve'] as const) {
      const decision = admit({ ...base, queueLength: 10, mode });
      expect(decision.admitted ? undefined : decision.error.code).toBe('OVERLOADED');
    }
  });

  it('admits while the instances are still starting (nothing to predict with)', () => {
    expect(admit({ ...base, instanceFreeInMs: [], deadlineMs: 1001 })).toEqual({
      admitted: true,
      predictedFinishMs: undefined,
    });
  });
});
