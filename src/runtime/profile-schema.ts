/**
 * JSON Schema (draft-07) of `profile.json`, the format of `src/core/profile.ts` (documented in
 * docs/profile.md). `readProfile` validates every file against it, so a malformed profile is refused with
 * the path of the bad field rather than misread.
 */

const positive = { type: 'number', exclusiveMinimum: 0 } as const;
const nonNegative = { type: 'number', minimum: 0 } as const;
const count = { type: 'integer', minimum: 1 } as const;
const text = { type: 'string', minLength: 1 } as const;
const percentileName = { enum: ['p50', 'p99'] } as const;

function object(
  properties: Record<string, unknown>,
  optional: readonly string[] = [],
): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    properties,
  };
}

const point = object({
  batch: count,
  cores: positive,
  instances: count,
  p50Ms: positive,
  p99Ms: positive,
  meanMs: positive,
  samples: count,
  throughputRps: nonNegative,
});

const sponge4 = object({
  kind: { const: 'sponge4' },
  gamma: nonNegative,
  delta: nonNegative,
  epsilon: nonNegative,
  eta: nonNegative,
});

const fit = object({
  model: sponge4,
  percentile: percentileName,
  weighting: { enum: ['relative', 'absolute'] },
  points: {
    type: 'array',
    items: object({
      batch: count,
      cores: positive,
      measuredMs: positive,
      fittedMs: nonNegative,
      relativeError: { type: 'number' },
    }),
  },
  medianRelativeError: nonNegative,
  maxRelativeError: nonNegative,
});

const resizeTiming = object({
  fromCores: positive,
  toCores: positive,
  callMs: nonNegative,
  effectiveMs: nonNegative,
  beforeMs: positive,
  afterMs: positive,
  targetMs: positive,
  speedupOverColdStart: nonNegative,
});

export const PROFILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Sluice profile (profile.json)',
  ...object(
    {
      format: { const: 'sluice-profile/1' },
      module: text,
      variant: text,
      hardware: object(
        {
          name: text,
          kind: { enum: ['cpu', 'fixed'] },
          maxCores: positive,
          description: { type: 'string' },
          cpuMechanism: text,
        },
        ['cpuMechanism'],
      ),
      modelFile: object({
        file: text,
        bytes: { type: 'integer', minimum: 0 },
        sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      }),
      source: {
        oneOf: [
          object({ kind: { const: 'measured' }, measuredAt: text, host: text, command: text }),
          object({ kind: { const: 'imported' }, from: text, note: text }),
        ],
      },
      threads: { oneOf: [{ const: 'ceil-cores' }, count] },
      points: { type: 'array', minItems: 1, items: point },
      fit,
      throughput: {
        type: 'array',
        items: object({ batch: count, cores: positive, throughputRps: nonNegative }),
      },
      coldStart: object({ cores: positive, coldStartMs: nonNegative, loadMs: nonNegative, samples: count }),
      resize: resizeTiming,
      resizeQuotaOnly: resizeTiming,
      verdict: object({
        choice: { enum: ['batching', 'co-location'] },
        latencyTargetMs: positive,
        totalCores: positive,
        baseThroughputRps: nonNegative,
        batching: object({ batch: count, throughputRps: nonNegative, gain: nonNegative }),
        colocation: object({ instances: count, throughputRps: nonNegative, gain: nonNegative }),
        reason: text,
      }),
      capacity: object({
        sloMs: positive,
        percentile: percentileName,
        points: {
          type: 'array',
          items: object({
            cores: positive,
            maxBatch: count,
            rateRps: nonNegative,
            source: { enum: ['derived', 'measured'] },
          }),
        },
        checks: {
          type: 'array',
          items: object({
            cores: positive,
            maxBatch: count,
            rateRps: nonNegative,
            requests: count,
            measuredMs: nonNegative,
            attainment: { type: 'number', minimum: 0, maximum: 1 },
            withinSlo: { type: 'boolean' },
          }),
        },
      }),
    },
    ['modelFile', 'coldStart', 'resize', 'resizeQuotaOnly', 'verdict', 'capacity'],
  ),
} as const;
