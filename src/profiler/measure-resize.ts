/**
 * How long an in-place resize takes to reach the new allocation's speed. One instance runs batch-1
 * requests back to back at `fromCores`; the resize to `toCores` is asked for between two batches while
 * the loop goes on (as live traffic would), and the resize counts as effective at the end of the first
 * of three consecutive batches within `tolerance` of the steady latency at `toCores`.
 */
import { summarizeSamples } from '../core/percentile.js';
import type { ResizeTiming } from '../core/profile.js';
import type { BatchTiming } from './batch-runner.js';
import { startProbe, type MeasureContext, type ProbeTarget } from './measure-points.js';

export interface ResizeQuestion {
  readonly fromCores: number;
  readonly toCores: number;
  /** Steady batch-1 latency at `toCores` (p50 of the grid point), in ms. */
  readonly targetMs: number;
  /** Cold start of an instance at `toCores`, in ms, for the speed-up. */
  readonly coldStartMs: number;
  /** Default 0.25: within 25% of the target. */
  readonly tolerance?: number;
  /** Give up (effective = undefined) after this long, in ms. Default 20000. */
  readonly timeoutMs?: number;
}

const IN_A_ROW = 3;

/** The resize timing, or undefined when the new speed was not reached within the timeout. */
export async function measureResize(
  ctx: MeasureContext,
  target: ProbeTarget,
  question: ResizeQuestion,
): Promise<ResizeTiming | undefined> {
  const probe = await startProbe(ctx, target, question.fromCores);
  const run = (): Promise<BatchTiming> => ctx.runner.run(probe.instanceId, target.group, target.payload, 1);
  try {
    for (let i = 0; i < 2; i++) await run();
    const before: number[] = [];
    for (let i = 0; i < 5; i++) before.push((await run()).wallMs);

    const askedMs = ctx.clock.nowMs();
    let callMs: number | undefined;
    const resize = ctx.host.resizeInstance(probe.instanceId, question.toCores).then(() => {
      callMs = ctx.clock.nowMs() - askedMs;
    });
    const limitMs = askedMs + (question.timeoutMs ?? 20_000);
    const bound = question.targetMs * (1 + (question.tolerance ?? 0.25));
    const after: BatchTiming[] = [];
    let streak: BatchTiming[] = [];
    while (ctx.clock.nowMs() < limitMs && (streak.length < IN_A_ROW || callMs === undefined)) {
      const timing = await run();
      after.push(timing);
      streak = timing.wallMs <= bound ? [...streak, timing] : [];
    }
    await resize;
    const first = streak[0];
    if (streak.length < IN_A_ROW || first === undefined) return undefined;
    const effectiveMs = first.finishedMs - askedMs;
    return {
      fromCores: question.fromCores,
      toCores: question.toCores,
      callMs: callMs ?? effectiveMs,
      effectiveMs,
      beforeMs: summarizeSamples(before).p50,
      afterMs: summarizeSamples(streak.map((t) => t.wallMs)).p50,
      targetMs: question.targetMs,
      speedupOverColdStart: question.coldStartMs / effectiveMs,
    };
  } finally {
    await ctx.host.stopInstance(probe.instanceId);
  }
}
