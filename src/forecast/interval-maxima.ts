/**
 * Per-interval maxima of a rate series: InfAdapter's LSTM reads the per-minute maximum of the per-second
 * counts, and the bucketed forecasters smooth the same quantity. This is the batch form (training,
 * evaluation); `bucketedForecaster` is the streaming form.
 */

export interface IntervalMaximaOptions {
  /**
   * What to do with a last interval that has fewer than `samplesPerInterval` samples. Default `'drop'`: the
   * maximum of a partial interval is biased low, and a model trained on whole intervals would read it as a
   * quiet interval.
   */
  readonly partial?: 'drop' | 'keep';
}

/**
 * The maximum of every run of `samplesPerInterval` consecutive values of `ratesRps` (e.g. 60 for per-minute
 * maxima of per-second counts), in order. Throws RangeError unless `samplesPerInterval` is a positive integer.
 */
export function intervalMaxima(
  ratesRps: ArrayLike<number>,
  samplesPerInterval: number,
  options: IntervalMaximaOptions = {},
): number[] {
  if (!(Number.isInteger(samplesPerInterval) && samplesPerInterval >= 1))
    throw new RangeError(`samplesPerInterval must be a positive integer, not ${samplesPerInterval}`);
  const whole = Math.floor(ratesRps.length / samplesPerInterval);
  const count =
    (options.partial ?? 'drop') === 'keep' ? Math.ceil(ratesRps.length / samplesPerInterval) : whole;
  const maxima: number[] = [];
  for (let k = 0; k < count; k++) {
    const end = Math.min(ratesRps.length, (k + 1) * samplesPerInterval);
    let max = -Infinity;
    for (let i = k * samplesPerInterval; i < end; i++) max = Math.max(max, ratesRps[i] ?? -Infinity);
    maxima.push(max);
  }
  return maxima;
}
