/**
 * The live `MetricsSink`: the engine's reports as Prometheus metrics on a registry of this object's own
 * (never prom-client's global one, so two servers or two tests never share counters). Served by the HTTP
 * server at `GET /metrics`. Latencies are in milliseconds, as everywhere in Sluice.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type {
  BatchCompleted,
  BatchDispatched,
  MetricsSink,
  RequestArrived,
  RequestFinished,
} from '../ports/metrics-sink.js';

/** Latency buckets in ms: 0.5 ms … 10 s, roughly 1-2-5 per decade. */
export const LATENCY_BUCKETS_MS: readonly number[] = [
  0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000,
];
/** Batch-size buckets in rows. */
export const BATCH_ROW_BUCKETS: readonly number[] = [1, 2, 4, 8, 16, 32, 64, 128, 256];

export interface PrometheusMetricsOptions {
  /** Prefix of every metric name; default `sluice_`. */
  readonly prefix?: string;
  /** Also collect prom-client's default process metrics (CPU, memory, event loop lag, GC); default true. */
  readonly processMetrics?: boolean;
}

type RequestLabels = 'module' | 'outcome' | 'code';

export class PrometheusMetrics implements MetricsSink {
  /** The registry holding every metric of this sink. */
  readonly registry: Registry;
  private readonly requests: Counter<RequestLabels>;
  private readonly latency: Histogram<'module' | 'outcome'>;
  private readonly queue: Histogram<'module'>;
  private readonly compute: Histogram<'module'>;
  private readonly lateCompletions: Counter<'module'>;
  private readonly completions: Counter<'group'>;
  private readonly batchRows: Histogram<'group'>;
  private readonly queueDepth: Gauge<'group'>;
  private readonly instanceCores: Gauge<'instance' | 'group'>;
  private readonly arrivals: Counter<'module'>;
  private readonly busy: Counter<'instance' | 'group'>;
  private readonly decisions: Counter<'outcome'>;
  private readonly planGauges: Gauge<'quantity'>;

  constructor(options: PrometheusMetricsOptions = {}) {
    const prefix = options.prefix ?? 'sluice_';
    this.registry = new Registry();
    const registers = [this.registry];
    this.requests = new Counter({
      name: `${prefix}requests_total`,
      help: 'Inference requests answered, by module, outcome (completed, rejected, expired, failed) and error code (OK when completed).',
      labelNames: ['module', 'outcome', 'code'],
      registers,
    });
    this.latency = new Histogram({
      name: `${prefix}request_latency_ms`,
      help: 'End-to-end latency from arrival to the outcome, ms.',
      labelNames: ['module', 'outcome'],
      buckets: [...LATENCY_BUCKETS_MS],
      registers,
    });
    this.queue = new Histogram({
      name: `${prefix}request_queue_ms`,
      help: 'Time completed requests spent queued before their batch started, ms.',
      labelNames: ['module'],
      buckets: [...LATENCY_BUCKETS_MS],
      registers,
    });
    this.compute = new Histogram({
      name: `${prefix}request_compute_ms`,
      help: 'Execution time of the batch each completed request ran in, ms.',
      labelNames: ['module'],
      buckets: [...LATENCY_BUCKETS_MS],
      registers,
    });
    this.lateCompletions = new Counter({
      name: `${prefix}deadline_misses_total`,
      help: 'Requests completed after their deadline.',
      labelNames: ['module'],
      registers,
    });
    this.completions = new Counter({
      name: `${prefix}completions_total`,
      help: 'Completed requests (answered with outputs, in time or late), by instance group (module/variant): the traffic each variant served.',
      labelNames: ['group'],
      registers,
    });
    this.batchRows = new Histogram({
      name: `${prefix}batch_rows`,
      help: 'Rows per dispatched batch, by instance group.',
      labelNames: ['group'],
      buckets: [...BATCH_ROW_BUCKETS],
      registers,
    });
    this.queueDepth = new Gauge({
      name: `${prefix}queue_depth`,
      help: 'Requests queued, by instance group.',
      labelNames: ['group'],
      registers,
    });
    this.instanceCores = new Gauge({
      name: `${prefix}instance_cpu_cores`,
      help: 'CPU allocation of each running instance, cores.',
      labelNames: ['instance', 'group'],
      registers,
    });
    this.arrivals = new Counter({
      name: `${prefix}arrivals_total`,
      help: 'Inference requests that arrived (admitted or refused), by module.',
      labelNames: ['module'],
      registers,
    });
    this.busy = new Counter({
      name: `${prefix}instance_busy_ms_total`,
      help: 'Time each instance spent running batches, ms (its utilisation is the rate of this counter over 1000).',
      labelNames: ['instance', 'group'],
      registers,
    });
    this.decisions = new Counter({
      name: `${prefix}control_decisions_total`,
      help: 'Control-loop decisions, by outcome (applied = a plan change; unchanged, stabilising, rate-capped, infeasible).',
      labelNames: ['outcome'],
      registers,
    });
    this.planGauges = new Gauge({
      name: `${prefix}plan`,
      help: 'The plan in force: cost_per_hour ($/h), cores (allocated), capacity_rps (req/s at the utilisation cap), accuracy.',
      labelNames: ['quantity'],
      registers,
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix });
  }

  /** Content type of `render()`'s text (Prometheus exposition format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The metrics in the Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  requestFinished(event: RequestFinished): void {
    const { module, outcome } = event;
    this.requests.inc({ module, outcome, code: event.code ?? 'OK' });
    this.latency.observe({ module, outcome }, event.latencyMs);
    if (outcome !== 'completed') return;
    if (event.group !== undefined) this.completions.inc({ group: event.group });
    if (event.queueMs !== undefined) this.queue.observe({ module }, event.queueMs);
    if (event.computeMs !== undefined) this.compute.observe({ module }, event.computeMs);
    if (!event.withinDeadline) this.lateCompletions.inc({ module });
  }

  /** A control-loop decision; when applied, its plan becomes the one the plan gauges show. */
  controlDecision(
    outcome: string,
    plan: { costPerHour: number; cores: number; capacityRps: number; accuracy: number },
  ): void {
    this.decisions.inc({ outcome });
    if (outcome !== 'applied') return;
    this.planGauges.set({ quantity: 'cost_per_hour' }, plan.costPerHour);
    this.planGauges.set({ quantity: 'cores' }, plan.cores);
    this.planGauges.set({ quantity: 'capacity_rps' }, plan.capacityRps);
    this.planGauges.set({ quantity: 'accuracy' }, plan.accuracy);
  }

  requestArrived(event: RequestArrived): void {
    this.arrivals.inc({ module: event.module });
  }

  batchCompleted(event: BatchCompleted): void {
    this.busy.inc({ instance: event.instanceId, group: event.group }, event.busyMs);
  }

  batchDispatched(event: BatchDispatched): void {
    this.batchRows.observe({ group: event.group }, event.rows);
  }

  queueDepthChanged(group: string, depth: number): void {
    this.queueDepth.set({ group }, depth);
  }

  instanceAllocationChanged(instanceId: string, group: string, cores: number | undefined): void {
    // An instance that stopped has no allocation: drop its series rather than report 0 forever.
    if (cores === undefined) this.instanceCores.remove({ instance: instanceId, group });
    else this.instanceCores.set({ instance: instanceId, group }, cores);
  }
}
