// `sluice serve --policy NAME` live: the control loop plans from the start-up calibration, its first plan's
// instances serve, it observes the load and re-plans every interval, each decision goes to the JSONL log and
// GET /sluice/decisions, the plan in force is GET /sluice/plan, and /metrics counts the decisions.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/cli/start-server.js';

let server: RunningServer;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-adaptive-'));
  server = await startServer({
    port: 0,
    modules: ['simple'],
    adaptive: { policy: 'sluice', decisionLog: join(dir, 'decisions.jsonl'), control: { intervalMs: 200 } },
  });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const body = JSON.stringify({
  inputs: [
    { name: 'INPUT0', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] },
    { name: 'INPUT1', datatype: 'FP32', shape: [1, 4], data: [1, 1, 1, 1] },
  ],
});

describe('adaptive serving', () => {
  it('serves with the planned instances and exposes the plan and the decisions', async () => {
    const infer = await fetch(`${server.url}/v2/models/simple/infer`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(infer.status).toBe(200);
    const plan = (await (await fetch(`${server.url}/sluice/plan`)).json()) as {
      planner: string;
      modules: { name: string; tuples: unknown[] }[];
    };
    expect(plan.planner).toBe('sluice');
    expect(plan.modules.map((m) => m.name)).toEqual(['simple']);
    expect(plan.modules[0]!.tuples.length).toBeGreaterThan(0);

    // A few intervals under load: the loop observes the arrivals.
    for (let i = 0; i < 40; i++) {
      await fetch(`${server.url}/v2/models/simple/infer`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 500));
    const decisions = (await (await fetch(`${server.url}/sluice/decisions?limit=50`)).json()) as {
      planner: string;
      outcome: string;
      apps: { name: string; observedRps: number }[];
    }[];
    expect(decisions.length).toBeGreaterThan(2);
    expect(decisions.every((d) => d.planner === 'sluice')).toBe(true);
    expect(decisions.some((d) => (d.apps[0]?.observedRps ?? 0) > 5)).toBe(true);
    const logged = readFileSync(join(dir, 'decisions.jsonl'), 'utf8').trim().split('\n');
    expect(logged.length).toBeGreaterThanOrEqual(decisions.length);
    expect(JSON.parse(logged[0]!)).toHaveProperty('outcome');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/sluice_control_decisions_total\{outcome="[a-z-]+"\} [1-9]/);
    const bad = await fetch(`${server.url}/sluice/decisions?limit=0`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/limit must be an integer/);
  });
});
