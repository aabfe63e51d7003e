/**
 * JSON Schemas (draft-07) of the planning problem (`sluice plan --problem FILE`) and the plan
 * (`sluice plan --json`), the formats of planning-problem.ts and plan.ts (docs/planning.md). Data only:
 * the CLI validates with them, so a bad file is refused with the path of the bad field.
 */

const positive = { type: 'number', exclusiveMinimum: 0 } as const;
const nonNegative = { type: 'number', minimum: 0 } as const;
const count = { type: 'integer', minimum: 1 } as const;
const name = { type: 'string', minLength: 1 } as const;
const share = { type: 'number', minimum: 0, maximum: 1 } as const;

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

const latencyModel = {
  oneOf: [
    object({
      kind: { const: 'sponge4' },
      gamma: nonNegative,
      delta: nonNegative,
      epsilon: nonNegative,
      eta: nonNegative,
    }),
    object({
      kind: { const: 'table' },
      points: {
        type: 'array',
        minItems: 1,
        items: object({ batch: count, cores: positive, latencyMs: positive }),
      },
    }),
  ],
} as const;

const tuple = object(
  {
    variant: name,
    hardware: name,
    cores: positive,
    batch: count,
    instances: count,
    rateRps: nonNegative,
    dummyRps: nonNegative,
    budgetMs: positive,
    sizes: { type: 'array', items: object({ rows: count, rateRps: nonNegative }) },
  },
  ['budgetMs', 'sizes'],
);

const planModule = object({ name, budgetMs: nonNegative, tuples: { type: 'array', items: tuple } });

export const PLAN_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Sluice plan',
  ...object(
    {
      feasible: { type: 'boolean' },
      planner: name,
      costPerHour: nonNegative,
      cores: nonNegative,
      capacityRps: nonNegative,
      accuracy: share,
      objectiveValue: { type: 'number' },
      predicted: object({ latencyMs: { type: 'object', additionalProperties: nonNegative } }),
      apps: {
        type: 'array',
        items: object({ name, servedRps: nonNegative, capacityRps: nonNegative, accuracy: share }),
      },
      modules: { type: 'array', items: planModule },
      reason: { type: 'string' },
      policyState: {},
    },
    ['policyState'],
  ),
} as const;

export const PROBLEM_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Sluice planning problem',
  ...object(
    {
      objective: {
        oneOf: [
          object({ kind: { const: 'min-cost' } }),
          object({ kind: { const: 'max-throughput' } }),
          object({ kind: { const: 'accuracy-cost' }, costWeight: nonNegative, reloadWeight: nonNegative }, [
            'reloadWeight',
          ]),
        ],
      },
      budget: object({ costPerHour: nonNegative, cores: positive }, ['costPerHour', 'cores']),
      hardware: {
        type: 'array',
        minItems: 1,
        items: object(
          {
            name,
            kind: { enum: ['cpu', 'fixed'] },
            pricePerHour: nonNegative,
            maxCores: positive,
            maxInstances: count,
            coreOptions: { type: 'array', minItems: 1, items: positive },
          },
          ['maxInstances', 'coreOptions'],
        ),
      },
      modules: {
        type: 'array',
        minItems: 1,
        items: object(
          {
            name,
            maxBatch: count,
            batchOptions: { type: 'array', minItems: 1, items: count },
            variants: {
              type: 'array',
              minItems: 1,
              items: object(
                {
                  name,
                  accuracy: share,
                  loadMs: nonNegative,
                  latency: { type: 'object', minProperties: 1, additionalProperties: latencyModel },
                },
                ['loadMs'],
              ),
            },
          },
          ['batchOptions'],
        ),
      },
      apps: {
        type: 'array',
        minItems: 1,
        items: object(
          {
            name,
            modules: { type: 'array', minItems: 1, items: name },
            edges: { type: 'array', items: object({ from: name, to: name, fanout: positive }, ['fanout']) },
            sloMs: positive,
            rateRps: nonNegative,
            budgets: { type: 'array', minItems: 1, items: object({ budgetMs: positive, share }) },
            querySizes: { type: 'array', minItems: 1, items: object({ rows: count, share }) },
          },
          ['budgets', 'querySizes'],
        ),
      },
      utilisationCap: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      current: PLAN_SCHEMA,
      observations: object(
        {
          cpuUsageCores: { type: 'object', additionalProperties: { type: 'array', items: nonNegative } },
          latencyMs: {
            type: 'object',
            additionalProperties: object({ mean: nonNegative, p95: nonNegative, p99: nonNegative }, [
              'mean',
              'p95',
              'p99',
            ]),
          },
        },
        ['cpuUsageCores', 'latencyMs'],
      ),
    },
    ['budget', 'utilisationCap', 'current', 'observations'],
  ),
} as const;
