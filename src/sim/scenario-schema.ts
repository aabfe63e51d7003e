/** JSON Schema of a scenario file (scenario.ts), with `problem` inline or as a path to a problem file. */
import { PROBLEM_SCHEMA } from '../planner/problem-schema.js';

const positive = { type: 'number', exclusiveMinimum: 0 } as const;
const nonNegative = { type: 'number', minimum: 0 } as const;

export const SCENARIO_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Sluice simulation scenario',
  type: 'object',
  additionalProperties: false,
  required: ['problem', 'workloads'],
  properties: {
    name: { type: 'string' },
    problem: {
      oneOf: [
        { type: 'string', minLength: 1 },
        { ...PROBLEM_SCHEMA, $schema: undefined },
      ],
    },
    workloads: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', minLength: 1 } },
    slo: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['source'],
          properties: { source: { const: 'fixed' } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['source'],
          properties: {
            source: { const: 'bus-log' },
            payloadKB: { oneOf: [positive, { type: 'array', minItems: 2, maxItems: 2, items: positive }] },
          },
        },
      ],
    },
    policy: { type: 'string', minLength: 1 },
    forecaster: {
      oneOf: [
        { const: 'none' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: 'string' },
            options: { type: 'object', additionalProperties: { type: 'number' } },
          },
        },
      ],
    },
    control: {
      type: 'object',
      additionalProperties: false,
      properties: {
        intervalMs: positive,
        variantIntervalMs: nonNegative,
        scaleDownStabilisationMs: nonNegative,
        maxChangesPerMinute: { type: 'integer', minimum: 1 },
        horizonMs: positive,
        budgetClasses: { type: 'integer', minimum: 0 },
        memoize: { type: 'boolean' },
      },
    },
    batching: {
      type: 'object',
      additionalProperties: false,
      properties: {
        policy: { enum: ['deadline', 'fifo'] },
        admission: { enum: ['reject', 'drop', 'serve'] },
        maxQueueDelayMs: nonNegative,
        maxQueueLength: { type: 'integer', minimum: 1 },
      },
    },
    dispatch: { enum: ['batch', 'min-cost-matching', 'fcfs'] },
    delays: {
      type: 'object',
      additionalProperties: false,
      properties: { startMs: nonNegative, resizeMs: nonNegative },
    },
    spread: { type: 'number', minimum: 1 },
    seed: { type: 'integer', minimum: 0 },
  },
} as const;
