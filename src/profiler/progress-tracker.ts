/**
 * Progress of a profiling run with an estimate of the time left: every step has a predicted duration
 * (from the latency measured so far), and the estimate is the predicted time of the steps left, scaled by
 * how the finished steps compared with their predictions.
 */

export interface ProfileProgress {
  /** What is being measured now, in words (`resnet18: batch 4 on 0.5 cores`). */
  readonly label: string;
  readonly stepsDone: number;
  readonly stepsTotal: number;
  /** In [0, 1], by predicted time rather than by step count. */
  readonly fraction: number;
  readonly elapsedMs: number;
  /** Undefined until a step has finished. */
  readonly remainingMs: number | undefined;
}

export interface ProgressStep {
  readonly label: string;
  /** Predicted duration in ms, re-read when the step before it finishes (it may depend on measurements). */
  predictMs(): number;
}

export class ProgressTracker {
  private done = 0;
  private predictedDoneMs = 0;
  private actualDoneMs = 0;

  constructor(
    private readonly steps: readonly ProgressStep[],
    private readonly nowMs: () => number,
    private readonly report: (progress: ProfileProgress) => void,
    private readonly startedMs = nowMs(),
  ) {}

  /** Runs `work` as the next step, reporting before and after it. */
  async step<T>(work: () => Promise<T>): Promise<T> {
    const step = this.steps[this.done];
    const predicted = step?.predictMs() ?? 0;
    this.emit(step?.label ?? 'finishing');
    const began = this.nowMs();
    const result = await work();
    this.done += 1;
    this.predictedDoneMs += predicted;
    this.actualDoneMs += this.nowMs() - began;
    this.emit(this.steps[this.done]?.label ?? 'done');
    return result;
  }

  private emit(label: string): void {
    const left = this.steps.slice(this.done).reduce((sum, s) => sum + s.predictMs(), 0);
    const scale = this.predictedDoneMs > 0 ? this.actualDoneMs / this.predictedDoneMs : undefined;
    const remainingMs = scale === undefined ? undefined : left * scale;
    const total = this.actualDoneMs + (remainingMs ?? left);
    this.report({
      label,
      stepsDone: this.done,
      stepsTotal: this.steps.length,
      fraction: total > 0 ? Math.min(1, this.actualDoneMs / total) : 0,
      elapsedMs: this.nowMs() - this.startedMs,
      remainingMs,
    });
  }
}
