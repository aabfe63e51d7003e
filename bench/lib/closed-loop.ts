// A closed-loop load: `connections` keep-alive loops, each sending its next request when the previous
// answer arrives, for a fixed time after a warm-up. Measures sustained requests/s and latency.
import http from 'node:http';
import { post } from './http-client.js';
import { summary } from './stats.js';

export interface ClosedLoopResult {
  readonly requestsPerSecond: number;
  readonly completed: number;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export async function closedLoop(
  url: URL,
  body: { body: Buffer; headers: Record<string, string> },
  options: { connections: number; seconds: number; warmupSeconds: number },
): Promise<ClosedLoopResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let completed = 0;
  let errors = 0;
  const warmupEnd = performance.now() + options.warmupSeconds * 1000;
  const end = warmupEnd + options.seconds * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const reply = await post(agent, url, body.body, body.headers).catch(() => undefined);
      const t1 = performance.now();
      if (t0 < warmupEnd || t1 > end) continue;
      if (reply?.status === 200) {
        completed += 1;
        latencies.push(t1 - t0);
      } else errors += 1;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  agent.destroy();
  const s = summary(latencies);
  return { requestsPerSecond: completed / options.seconds, completed, errors, p50Ms: s.p50, p99Ms: s.p99 };
}
