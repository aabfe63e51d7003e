// The OCR application under the control loop (`sluice serve --policy harpagon`): the live planning
// problem holds the app (its modules, edges with their expected fan-out, end-to-end SLO), so the plan in
// force at GET /sluice/plan gives each module a budget (summing to at most the SLO along the chain) and
// tuples, and the app's requests are served through the planned instances.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/cli/start-server.js';
import { encodePng } from '../support/png-encode.js';
import { renderText } from '../support/render-text.js';

let server: RunningServer;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-ocr-adaptive-'));
  server = await startServer({
    port: 0,
    modules: ['ocr'],
    noCgroup: true,
    adaptive: {
      policy: 'harpagon',
      decisionLog: join(dir, 'decisions.jsonl'),
      objective: { kind: 'min-cost' },
      control: { intervalMs: 300 },
    },
  });
}, 90_000);
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

interface PlanJson {
  planner: string;
  modules: { name: string; budgetMs: number; tuples: { instances: number; batch: number }[] }[];
}

describe('the ocr application with --policy harpagon', () => {
  it('plans per-module budgets and tuples for the app, and serves it', async () => {
    const plan = (await (await fetch(`${server.url}/sluice/plan`)).json()) as PlanJson;
    expect(plan.planner).toBe('harpagon');
    const byName = new Map(plan.modules.map((m) => [m.name, m]));
    expect([...byName.keys()].sort()).toEqual(['ocr-cls', 'ocr-det', 'ocr-rec']);
    const budgets = ['ocr-det', 'ocr-cls', 'ocr-rec'].map((m) => byName.get(m)?.budgetMs ?? 0);
    expect(budgets.every((b) => b > 0)).toBe(true);
    expect(budgets.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1000 + 1e-6);
    for (const m of plan.modules) expect(m.tuples.length).toBeGreaterThan(0);

    const element = encodePng(renderText('SLUICE 42'));
    const body = JSON.stringify({
      inputs: [{ name: 'image', datatype: 'BYTES', shape: [1], data: [element.toString('base64')] }],
      parameters: { slo_ms: 5000 },
    });
    for (let i = 0; i < 3; i += 1) {
      const reply = await fetch(`${server.url}/v2/models/ocr/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(reply.status).toBe(200);
      const json = (await reply.json()) as { outputs: { name: string; data: string[] }[] };
      expect(json.outputs.find((o) => o.name === 'texts')?.data.map((t) => t.trim())).toEqual(['SLUICE 42']);
    }
    await new Promise((r) => setTimeout(r, 700));
    const decisions = (await (await fetch(`${server.url}/sluice/decisions`)).json()) as {
      apps: { name: string }[];
    }[];
    expect(decisions.length).toBeGreaterThan(0);
    expect(decisions.at(-1)?.apps.map((a) => a.name)).toEqual(['ocr']);
  });
});
