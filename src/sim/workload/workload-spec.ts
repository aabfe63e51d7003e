/**
 * The workload spec string, shared by `sluice load` and `sluice simulate`. Grammar (fields separated by `:`;
 * `key=value` options come after the positional fields):
 *
 * ```
 * twitter:START:END[:DAMPING][:arrivals=poisson|barazmoon|even][:gaps=skip|keep][:min-gap=SECONDS]
 *     START, END  whole seconds of the trace, [START, END); or IPA's day notation DAY.HH.MM[.SS] (dots,
 *                 because `:` separates fields), where END is inclusive as in IPA's loader.
 *     DAMPING     every count becomes floor(count / DAMPING); > 0, default 1.
 *     arrivals    how a second's n requests are placed (per-second-arrivals.ts); default poisson.
 *     gaps        skip (default) or keep the collection gaps: zero runs of ≥ min-gap seconds (default 10).
 * azure-code[:FROM[:TO]][:speed=S]     Azure LLM "code" trace, requests in [FROM, TO) seconds after the first
 * azure-conv[:FROM[:TO]][:speed=S]     request (default: all), replayed from FROM, S times as fast (default 1).
 * poisson:RATE:SECONDS                 Poisson arrivals at RATE requests/s for SECONDS.
 * steps:RATE@SECONDS[,RATE@SECONDS]... Poisson at each RATE for its SECONDS, one after another.
 * bursts:BASE:PEAK:PERIOD:BURST:SECONDS  Poisson at BASE, rising to PEAK for the last BURST s of every
 *                                      PERIOD s, for SECONDS in all.
 * ```
 * Examples: `poisson:50:30`, `twitter:1301160:1302360:8`, `twitter:15.01.22:15.01.42`, `azure-code:0:120`,
 * `steps:10@30,40@30,10@30`, `bursts:10:60:30:5:120`. Pure: the caller reads the trace file that
 * `traceFileOf` names and hands its text to `buildWorkload`.
 */
import { PER_SECOND_STYLES, type PerSecondStyle } from './per-second-arrivals.js';
import { burstSegments, type RateSegment } from './rate-arrivals.js';
import { DEFAULT_MIN_GAP_S, traceRange } from './twitter-trace.js';
import { WorkloadError } from './workload-error.js';

export type WorkloadSpec =
  | {
      readonly kind: 'twitter';
      readonly startS: number;
      readonly endS: number;
      readonly damping: number;
      readonly arrivals: PerSecondStyle;
      readonly skipGaps: boolean;
      readonly minGapS: number;
    }
  | {
      readonly kind: 'azure';
      readonly service: 'code' | 'conv';
      readonly fromS: number;
      /** Exclusive; undefined: to the end of the trace. */
      readonly toS: number | undefined;
      readonly speed: number;
    }
  | {
      readonly kind: 'rates';
      readonly name: 'poisson' | 'steps' | 'bursts';
      readonly segments: readonly RateSegment[];
    };

/** File names of the traces in the traces directory (shared/traces). */
export const TRACE_FILES = {
  twitter: 'twitter-2021-08-rps.txt',
  'azure-code': 'AzureLLMInferenceTrace_code.csv',
  'azure-conv': 'AzureLLMInferenceTrace_conv.csv',
  'bus-log': 'report_bus_0001.log',
} as const;

/** One-line grammar reminder for help texts. */
export const WORKLOAD_SPEC_SUMMARY =
  'twitter:START:END[:DAMPING][:arrivals=poisson|barazmoon|even][:gaps=skip|keep] | azure-code[:FROM[:TO]][:speed=S] | ' +
  'azure-conv[...] | poisson:RATE:SECONDS | steps:RATE@SECONDS,... | bursts:BASE:PEAK:PERIOD:BURST:SECONDS';

/** Parses a spec string; throws `WorkloadError` naming the offending field. */
export function parseWorkloadSpec(text: string): WorkloadSpec {
  const [kind = '', ...fields] = text.trim().split(':');
  const positional = fields.filter((f) => !f.includes('='));
  const options = new Map<string, string>();
  for (const field of fields.filter((f) => f.includes('='))) {
    const [key = '', value = ''] = field.split('=', 2);
    if (options.has(key)) throw new WorkloadError(`${text}: option '${key}' given twice`);
    options.set(key, value);
  }
  const allowOptions = (...keys: string[]): void => {
    for (const key of options.keys()) {
      if (!keys.includes(key))
        throw new WorkloadError(
          `${text}: unknown option '${key}'${keys.length ? ` (known: ${keys.join(', ')})` : ''}`,
        );
    }
  };
  const arity = (min: number, max: number, form: string): void => {
    if (positional.length < min || positional.length > max)
      throw new WorkloadError(`'${text}': expected ${form}`);
  };
  switch (kind) {
    case 'twitter': {
      arity(2, 3, 'twitter:START:END[:DAMPING]');
      allowOptions('arrivals', 'gaps', 'min-gap');
      const { startS, endS } = traceRange(positional[0] ?? '', positional[1] ?? '');
      const arrivals = options.get('arrivals') ?? 'poisson';
      if (!(PER_SECOND_STYLES as readonly string[]).includes(arrivals)) {
        throw new WorkloadError(`${text}: arrivals must be one of ${PER_SECOND_STYLES.join(', ')}`);
      }
      const gaps = options.get('gaps') ?? 'skip';
      if (gaps !== 'skip' && gaps !== 'keep') throw new WorkloadError(`${text}: gaps must be skip or keep`);
      const minGap = options.get('min-gap');
      return {
        kind: 'twitter',
        startS,
        endS,
        damping: positional[2] === undefined ? 1 : positiveNumber(positional[2], 'DAMPING'),
        arrivals: arrivals as PerSecondStyle,
        skipGaps: gaps === 'skip',
        minGapS: minGap === undefined ? DEFAULT_MIN_GAP_S : positiveInteger(minGap, 'min-gap'),
      };
    }
    case 'azure-code':
    case 'azure-conv': {
      arity(0, 2, `${kind}[:FROM[:TO]]`);
      allowOptions('speed');
      const fromS =
        positional[0] === undefined || positional[0] === '' ? 0 : nonNegativeNumber(positional[0], 'FROM');
      const toS =
        positional[1] === undefined || positional[1] === '' ? undefined : positiveNumber(positional[1], 'TO');
      if (toS !== undefined && toS <= fromS) throw new WorkloadError(`${text}: TO must be greater than FROM`);
      const speed = options.get('speed');
      return {
        kind: 'azure',
        service: kind === 'azure-code' ? 'code' : 'conv',
        fromS,
        toS,
        speed: speed === undefined ? 1 : positiveNumber(speed, 'speed'),
      };
    }
    case 'poisson': {
      arity(2, 2, 'poisson:RATE:SECONDS');
      allowOptions();
      const segment = {
        rateRps: positiveNumber(positional[0] ?? '', 'RATE'),
        durationS: positiveNumber(positional[1] ?? '', 'SECONDS'),
      };
      return { kind: 'rates', name: 'poisson', segments: [segment] };
    }
    case 'steps': {
      arity(1, 1, 'steps:RATE@SECONDS[,RATE@SECONDS]...');
      allowOptions();
      const segments = (positional[0] ?? '').split(',').map((step) => {
        const [rate = '', seconds = ''] = step.split('@');
        if (!step.includes('@')) throw new WorkloadError(`${text}: step '${step}' must be RATE@SECONDS`);
        return { rateRps: nonNegativeNumber(rate, 'RATE'), durationS: positiveNumber(seconds, 'SECONDS') };
      });
      return { kind: 'rates', name: 'steps', segments };
    }
    case 'bursts': {
      arity(5, 5, 'bursts:BASE:PEAK:PERIOD:BURST:SECONDS');
      allowOptions();
      const [base, peak, period, burst, total] = positional as [string, string, string, string, string];
      const periodS = positiveNumber(period, 'PERIOD');
      const burstS = positiveNumber(burst, 'BURST');
      if (burstS > periodS) throw new WorkloadError(`${text}: BURST must not exceed PERIOD`);
      const segments = burstSegments(
        nonNegativeNumber(base, 'BASE'),
        nonNegativeNumber(peak, 'PEAK'),
        periodS,
        burstS,
        positiveNumber(total, 'SECONDS'),
      );
      return { kind: 'rates', name: 'bursts', segments };
    }
    default:
      throw new WorkloadError(`unknown workload '${kind}' in '${text}' (expected ${WORKLOAD_SPEC_SUMMARY})`);
  }
}

/** The trace file (a key of `TRACE_FILES`' values) a spec needs, or undefined for synthetic workloads. */
export function traceFileOf(spec: WorkloadSpec): string | undefined {
  if (spec.kind === 'twitter') return TRACE_FILES.twitter;
  if (spec.kind === 'azure')
    return spec.service === 'code' ? TRACE_FILES['azure-code'] : TRACE_FILES['azure-conv'];
  return undefined;
}

/** The spec in canonical form (plain seconds, defaults spelt out where they matter). */
export function describeWorkloadSpec(spec: WorkloadSpec): string {
  switch (spec.kind) {
    case 'twitter': {
      const gaps = spec.skipGaps
        ? spec.minGapS === DEFAULT_MIN_GAP_S
          ? ''
          : `:min-gap=${spec.minGapS}`
        : ':gaps=keep';
      return `twitter:${spec.startS}:${spec.endS}:${spec.damping}:arrivals=${spec.arrivals}${gaps}`;
    }
    case 'azure':
      return `azure-${spec.service}:${spec.fromS}${spec.toS === undefined ? '' : `:${spec.toS}`}${spec.speed === 1 ? '' : `:speed=${spec.speed}`}`;
    case 'rates':
      return spec.name === 'poisson' && spec.segments.length === 1
        ? `poisson:${spec.segments[0]?.rateRps}:${spec.segments[0]?.durationS}`
        : `steps:${spec.segments.map((s) => `${s.rateRps}@${s.durationS}`).join(',')}`;
  }
}

function parseNumber(text: string, what: string): number {
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(text)) throw new WorkloadError(`${what} must be a number, not '${text}'`);
  return Number(text);
}

function nonNegativeNumber(text: string, what: string): number {
  return parseNumber(text, what);
}

function positiveNumber(text: string, what: string): number {
  const value = parseNumber(text, what);
  if (value <= 0) throw new WorkloadError(`${what} must be greater than 0, not '${text}'`);
  return value;
}

function positiveInteger(text: string, what: string): number {
  const value = positiveNumber(text, what);
  if (!Number.isInteger(value)) throw new WorkloadError(`${what} must be a whole number, not '${text}'`);
  return value;
}
