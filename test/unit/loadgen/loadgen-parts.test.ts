import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/seeded-rng.js';
import { deadlineParameters } from '../../../src/loadgen/deadline-parameters.js';
import { formatLoadReport, outcomeKey, percentile, summarizeLoad } from '../../../src/loadgen/load-report.js';
import { modelPath, parseModelMetadata } from '../../../src/loadgen/model-metadata.js';
import { concreteInputs, halfBits, OipBodyBuilder } from '../../../src/loadgen/oip-body-builder.js';
import { errorCode } from '../../../src/loadgen/open-loop-sender.js';
import { OUTCOME_CONNECTION_ERROR, OUTCOME_TIMEOUT, RequestLog } from '../../../src/loadgen/request-log.js';

describe('deadline parameters', () => {
  it('slo mode sends slo_ms and, when known, network_ms; the budget is their difference', () => {
    expect(deadlineParameters({ atMs: 0 }, 750, 'slo')).toEqual({
      parameters: { slo_ms: 750 },
      budgetMs: 750,
    });
    expect(deadlineParameters({ atMs: 0, sloMs: 1000, networkMs: 22.75049988 }, 750, 'slo')).toEqual({
      parameters: { slo_ms: 1000, network_ms: 22.75 },
      budgetMs: 1000 - 22.75049988,
    });
  });

  it('timeout mode sends the net budget in µs, at least 1', () => {
    expect(deadlineParameters({ atMs: 0, sloMs: 1000, networkMs: 100 }, 0, 'timeout').parameters).toEqual({
      timeout: 900_000,
    });
    expect(deadlineParameters({ atMs: 0, sloMs: 1000, networkMs: 1200 }, 0, 'timeout')).toEqual({
      parameters: { timeout: 1 },
      budgetMs: -200,
    });
  });
});

describe('OipBodyBuilder', () => {
  const inputs = concreteInputs(
    [
      { name: 'x', datatype: 'FP32', shape: [-1, 2, -1] },
      { name: 'h', datatype: 'FP16', shape: [3] },
    ],
    4,
    5,
  );

  it('resolves -1 dimensions: the first to the batch, others to dim', () => {
    expect(inputs[0]!.shape).toEqual([4, 2, 5]);
  });

  it('JSON bodies parse, carry id and parameters, and cycle through the variants', () => {
    const builder = new OipBodyBuilder(inputs, { binary: false, variants: 2 }, new SeededRng(1));
    const parse = (i: number): { id: string; parameters: unknown; inputs: { data: unknown[] }[] } =>
      JSON.parse(Buffer.concat(builder.build(i, { slo_ms: 5 }).chunks).toString()) as ReturnType<
        typeof parse
      >;
    const body = parse(7);
    expect(body.id).toBe('7');
    expect(body.parameters).toEqual({ slo_ms: 5 });
    expect(body.inputs[0]!.data).toHaveLength(40);
    expect(parse(0).inputs).toEqual(parse(2).inputs);
    expect(parse(0).inputs).not.toEqual(parse(1).inputs);
    const built = builder.build(3, {});
    expect(built.contentLength).toBe(built.chunks.reduce((n, c) => n + c.length, 0));
    expect(built.headers['content-type']).toBe('application/json');
  });

  it('binary bodies: header length header, binary_data_size per input, little-endian data', () => {
    const builder = new OipBodyBuilder(inputs, { binary: true }, new SeededRng(1));
    const body = builder.build(1, { slo_ms: 5 });
    const all = Buffer.concat(body.chunks);
    const headerLength = Number(body.headers['inference-header-content-length']);
    const header = JSON.parse(all.subarray(0, headerLength).toString()) as {
      parameters: unknown;
      inputs: { parameters: { binary_data_size: number } }[];
    };
    expect(header.parameters).toEqual({ slo_ms: 5, binary_data_output: true });
    expect(header.inputs.map((i) => i.parameters.binary_data_size)).toEqual([160, 6]);
    expect(all.length).toBe(headerLength + 166);
    const first = all.readFloatLE(headerLength);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(1);
    expect(builder.tensorBytes).toBe(166);
  });

  it('halfBits encodes IEEE half precision', () => {
    expect(halfBits(0)).toBe(0);
    expect(halfBits(1)).toBe(0x3c00);
    expect(halfBits(0.5)).toBe(0x3800);
    expect(halfBits(0.333251953125)).toBe(0x3555);
    expect(halfBits(-2)).toBe(0xc000);
    expect(halfBits(2 ** -24)).toBe(1);
    expect(halfBits(70_000)).toBe(0x7c00);
  });
});

describe('responses and the report', () => {
  it('reads the Sluice error code of an OIP error body', () => {
    expect(errorCode('{"error":"DEADLINE_EXCEEDED: late"}')).toBe('DEADLINE_EXCEEDED');
    expect(errorCode('{"error":"something broke"}')).toBeUndefined();
    expect(errorCode('<html>')).toBeUndefined();
    expect(outcomeKey(503, undefined)).toBe('http_503');
    expect(outcomeKey(OUTCOME_TIMEOUT, undefined)).toBe('timeout');
  });

  it('percentiles by nearest rank', () => {
    const sorted = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect([
      percentile(sorted, 0.5),
      percentile(sorted, 0.99),
      percentile(sorted, 0.999),
      percentile(sorted, 1),
    ]).toEqual([500, 990, 999, 1000]);
    expect(percentile([], 0.5)).toBe(0);
  });

  it('a request settles once; attainment counts 200s within their own budget from the scheduled time', () => {
    const log = new RequestLog();
    for (let i = 0; i < 3000; i++) log.add(i, i + 1, i % 2 === 0 ? 100 : 10); // grows past the initial capacity
    for (let i = 0; i < 3000; i++) {
      if (i % 3 === 0)
        log.settle(i, 200, i + 50); // latency 50: within 100, beyond 10
      else if (i % 3 === 1) log.settle(i, 504, i + 5, 'DEADLINE_EXCEEDED');
      else log.settle(i, OUTCOME_CONNECTION_ERROR, i + 1);
    }
    expect(log.settle(0, 504, 1)).toBe(false);
    expect(log.get(0).status).toBe(200);
    const report = summarizeLoad(log, {
      workload: 'w',
      url: 'u',
      model: 'm',
      encoding: 'json',
      deadlineAs: 'slo',
      sloMs: 1000,
      budgets: null,
      seed: 1,
      stoppedBy: 'workload',
      scheduleMs: 3000,
      durationMs: 3100,
    });
    expect(report.outcomes).toEqual({ ok: 1000, DEADLINE_EXCEEDED: 1000, connection_error: 1000 });
    expect(report.okWithinDeadline).toBe(500); // the even ones among i % 3 == 0
    expect(report.sloAttainment).toBeCloseTo(500 / 3000, 12);
    expect(report.goodputRps).toBeCloseTo(500 / 3, 9);
    expect(report.offeredRps).toBe(1000);
    expect(report.latencyMs?.p50).toBe(50);
    expect(report.sendLagMs.mean).toBe(1);
    expect(report.statusClasses).toEqual({ '1xx': 0, '2xx': 1000, '3xx': 0, '4xx': 0, '5xx': 1000 });
    expect(formatLoadReport(report)).toMatch(/SLO attainment\s+16\.67 %/);
  });
});

describe('model metadata', () => {
  it('builds paths with an optional version', () => {
    const url = new URL('http://127.0.0.1:8000');
    expect(modelPath({ url, model: 'resnet', version: undefined })).toBe('/v2/models/resnet');
    expect(modelPath({ url, model: 'a b', version: 'v1' })).toBe('/v2/models/a%20b/versions/v1');
    expect(modelPath({ url: new URL('http://h/prefix/'), model: 'm', version: undefined })).toBe(
      '/prefix/v2/models/m',
    );
  });

  it('validates the metadata body', () => {
    const ok = parseModelMetadata(
      '{"name":"m","inputs":[{"name":"x","datatype":"FP32","shape":[-1,3]}]}',
      's',
    );
    expect(ok.inputs[0]).toEqual({ name: 'x', datatype: 'FP32', shape: [-1, 3] });
    expect(() => parseModelMetadata('{"inputs":[]}', 's')).toThrow(/no inputs/);
    expect(() => parseModelMetadata('{"inputs":[{"name":"x","datatype":"F32","shape":[1]}]}', 's')).toThrow(
      /datatype/,
    );
    expect(() => parseModelMetadata('{"inputs":[{"name":"x","datatype":"FP32","shape":[-2]}]}', 's')).toThrow(
      /bad shape/,
    );
    expect(() => parseModelMetadata('nope', 's')).toThrow(/not JSON/);
  });
});
