// PrometheusMetrics: the engine's MetricsSink reports as Prometheus text, on a registry of its own.
import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { RequestFinished } from '../../src/ports/metrics-sink.js';
import { PrometheusMetrics } from '../../src/server/prometheus-metrics.js';

const finished = (over: Partial<RequestFinished> = {}): RequestFinished => ({
  module: 'm',
  group: 'm/v1',
  outcome: 'completed',
  code: undefined,
  latencyMs: 3,
  queueMs: 0.7,
  computeMs: 2,
  withinDeadline: true,
  ...over,
});

describe('PrometheusMetrics', () => {
  it('turns engine reports into counters, histograms and gauges', async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    metrics.requestFinished(finished());
    metrics.requestFinished(finished({ latencyMs: 12_000, withinDeadline: false }));
    metrics.requestFinished(
      finished({
        outcome: 'expired',
        code: 'DEADLINE_EXCEEDED',
        queueMs: undefined,
        computeMs: undefined,
        withinDeadline: false,
      }),
    );
    metrics.batchDispatched({ group: 'm/v1', instanceId: 'i0', rows: 3, items: 2 });
    metrics.queueDepthChanged('m/v1', 5);
    metrics.instanceAllocationChanged('i0', 'm/v1', 1.5);
    metrics.instanceAllocationChanged('i1', 'm/v1', 2);
    metrics.instanceAllocationChanged('i1', 'm/v1', undefined);
    const text = await metrics.render();
    expect(text).toContain('sluice_requests_total{module="m",outcome="completed",code="OK"} 2');
    expect(text).toContain('sluice_requests_total{module="m",outcome="expired",code="DEADLINE_EXCEEDED"} 1');
    expect(text).toContain('sluice_request_latency_ms_bucket{le="0.5",module="m",outcome="completed"} 0');
    expect(text).toContain('sluice_request_latency_ms_bucket{le="5",module="m",outcome="completed"} 1');
    expect(text).toContain('sluice_request_latency_ms_bucket{le="10000",module="m",outcome="completed"} 1');
    expect(text).toContain('sluice_request_latency_ms_bucket{le="+Inf",module="m",outcome="completed"} 2');
    expect(text).toContain('sluice_request_queue_ms_bucket{le="1",module="m"} 2');
    expect(text).toContain('sluice_request_compute_ms_count{module="m"} 2');
    expect(text).toContain('sluice_deadline_misses_total{module="m"} 1');
    expect(text).toContain('sluice_completions_total{group="m/v1"} 2');
    expect(text).toContain('sluice_batch_rows_bucket{le="4",group="m/v1"} 1');
    expect(text).toContain('sluice_batch_rows_bucket{le="2",group="m/v1"} 0');
    expect(text).toContain('sluice_queue_depth{group="m/v1"} 5');
    expect(text).toContain('sluice_instance_cpu_cores{instance="i0",group="m/v1"} 1.5');
    expect(text).not.toContain('instance="i1"');
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('keeps each sink on its own registry, never the global one', async () => {
    const a = new PrometheusMetrics({ processMetrics: false });
    const b = new PrometheusMetrics({ processMetrics: false, prefix: 'other_' });
    a.requestFinished(finished());
    expect(await a.render()).toContain('sluice_requests_total{module="m",outcome="completed",code="OK"} 1');
    expect(await b.render()).not.toContain('module="m"');
    expect(await b.render()).toContain('other_requests_total');
    expect(await globalRegistry.metrics()).not.toContain('requests_total');
  });

  it('adds the default process metrics unless told not to', async () => {
    expect(await new PrometheusMetrics().render()).toContain('sluice_process_cpu_seconds_total');
    expect(await new PrometheusMetrics({ processMetrics: false }).render()).not.toContain('process_cpu');
  });
});
