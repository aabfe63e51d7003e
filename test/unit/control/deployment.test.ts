// The deployment turns plans into actions: resize in place where a slot's cores change, start what is
// missing, drain and stop what is extra, split traffic by the plan's rates; instances serve only once
// ready and leave service before they stop.
import { describe, expect, it } from 'vitest';
import { Deployment, type DeploymentEvent } from '../../../src/control/deployment.js';
import type { Plan, PlanTuple } from '../../../src/planner/plan.js';
import type { ActionOutcome, Actuator, InstanceAction } from '../../../src/ports/actuator.js';
import type { ServedInstance, ServingControl } from '../../../src/ports/serving-control.js';
import { VirtualClock } from '../../../src/sim/virtual-clock.js';

class DelayActuator implements Actuator {
  readonly actions: InstanceAction[] = [];
  constructor(
    private readonly clock: VirtualClock,
    private readonly delays: Record<InstanceAction['kind'], number>,
  ) {}
  apply(action: InstanceAction, done: (o: ActionOutcome) => void): void {
    this.actions.push(action);
    const at = this.clock.nowMs();
    this.clock.setTimer(at + this.delays[action.kind], () =>
      done({ ok: true, tookMs: this.delays[action.kind] }),
    );
  }
}

class RecordingServing implements ServingControl {
  readonly serving = new Map<string, ServedInstance>();
  readonly log: string[] = [];
  readonly routes = new Map<string, Readonly<Record<string, number>>>();
  addInstance(r: ServedInstance): void {
    this.serving.set(r.id, r);
    this.log.push(`add ${r.id} ${r.cores}c b${r.maxBatch}`);
  }
  removeInstance(id: string): void {
    this.serving.delete(id);
    this.log.push(`remove ${id}`);
  }
  resizeInstance(id: string, cores: number): void {
    const r = this.serving.get(id);
    if (r !== undefined) this.serving.set(id, { ...r, cores });
    this.log.push(`resize ${id} ${cores}c`);
  }
  setInstanceBatch(id: string, maxBatch: number | undefined): void {
    this.log.push(`batch ${id} ${maxBatch}`);
  }
  setRoute(module: string, weights: Readonly<Record<string, number>>): void {
    this.routes.set(module, weights);
  }
}

const tuple = (
  variant: string,
  cores: number,
  batch: number,
  instances: number,
  rateRps = 10,
): PlanTuple => ({
  variant,
  hardware: 'cpu',
  cores,
  batch,
  instances,
  rateRps,
  dummyRps: 0,
});
const plan = (...tuples: PlanTuple[]): Plan => ({
  feasible: true,
  planner: 't',
  costPerHour: 0,
  cores: 0,
  capacityRps: 0,
  accuracy: 1,
  objectiveValue: 0,
  predicted: { latencyMs: {} },
  apps: [],
  modules: [{ name: 'm', budgetMs: 100, tuples }],
  reason: '',
});

function setup() {
  const clock = new VirtualClock();
  const actuator = new DelayActuator(clock, { start: 500, resize: 20, stop: 0 });
  const serving = new RecordingServing();
  const events: DeploymentEvent[] = [];
  const deployment = new Deployment({ clock, actuator, serving, onEvent: (e) => events.push(e) });
  return { clock, actuator, serving, events, deployment };
}

describe('Deployment', () => {
  it('starts instances and puts them into service only once they are ready', () => {
    const { clock, serving, deployment } = setup();
    expect(deployment.apply(plan(tuple('v', 2, 4, 2)))).toEqual({
      started: 2,
      resized: 0,
      stopped: 0,
      rebatched: 0,
    });
    expect(serving.serving.size).toBe(0);
    clock.runUntil(499);
    expect(serving.serving.size).toBe(0);
    clock.runUntil(500);
    expect([...serving.serving.values()].map((r) => [r.cores, r.maxBatch])).toEqual([
      [2, 4],
      [2, 4],
    ]);
    expect(serving.routes.get('m')).toEqual({ v: 10 });
  });

  it('resizes in place instead of replacing, largest slot to largest instance', () => {
    const { clock, actuator, serving, deployment } = setup();
    deployment.apply(plan(tuple('v', 2, 4, 1), tuple('v', 1, 4, 1)));
    clock.runAll();
    actuator.actions.length = 0;
    expect(deployment.apply(plan(tuple('v', 4, 8, 1), tuple('v', 1, 4, 1)))).toEqual({
      started: 0,
      resized: 1,
      stopped: 0,
      rebatched: 1,
    });
    expect(actuator.actions).toEqual([{ kind: 'resize', instanceId: 'm/v@cpu#1', cores: 4 }]);
    // The engine learns the new allocation when it is in force, not when it is asked for.
    expect(serving.serving.get('m/v@cpu#1')?.cores).toBe(2);
    clock.runAll();
    expect(serving.serving.get('m/v@cpu#1')?.cores).toBe(4);
    expect(serving.log).toContain('batch m/v@cpu#1 8');
  });

  it('switches variants make-before-break: the old instance serves until the new one is ready', () => {
    const { clock, actuator, serving, deployment } = setup();
    deployment.apply(plan(tuple('small', 1, 1, 2)));
    clock.runAll();
    deployment.apply(plan(tuple('small', 1, 1, 1, 5), tuple('big', 2, 1, 1, 5)));
    expect(serving.serving.has('m/small@cpu#2')).toBe(true);
    expect(actuator.actions.map((a) => a.kind)).toEqual(['start', 'start', 'start']);
    // No instance of 'big' serves yet: its share waits, the small instances carry the traffic.
    expect(serving.routes.get('m')).toEqual({ small: 5 });
    clock.runUntil(clock.nowMs() + 499);
    expect(serving.serving.has('m/small@cpu#2')).toBe(true);
    clock.runAll();
    expect(serving.routes.get('m')).toEqual({ small: 5, big: 5 });
    expect(serving.log.indexOf('remove m/small@cpu#2')).toBeGreaterThan(
      serving.log.indexOf('add m/big@cpu#3 2c b1'),
    );
    expect(actuator.actions.map((a) => a.kind)).toEqual(['start', 'start', 'start', 'stop']);
    expect([...serving.serving.keys()].sort()).toEqual(['m/big@cpu#3', 'm/small@cpu#1']);
    expect(deployment.instances.map((i) => i.id).sort()).toEqual(['m/big@cpu#3', 'm/small@cpu#1']);
  });

  it('drains and stops an extra instance at once when nothing replaces it', () => {
    const { clock, actuator, serving, deployment } = setup();
    deployment.apply(plan(tuple('v', 1, 1, 2)));
    clock.runAll();
    deployment.apply(plan(tuple('v', 1, 1, 1)));
    expect(serving.log).toContain('remove m/v@cpu#2');
    expect(actuator.actions.map((a) => a.kind)).toEqual(['start', 'start', 'stop']);
  });

  it('stops an instance that is no longer wanted by the time its start completes', () => {
    const { clock, actuator, serving, deployment } = setup();
    deployment.apply(plan(tuple('v', 1, 1, 2)));
    clock.runUntil(100);
    deployment.apply(plan(tuple('v', 1, 1, 1)));
    clock.runAll();
    expect(actuator.actions.map((a) => a.kind)).toEqual(['start', 'start', 'stop']);
    expect(serving.serving.size).toBe(1);
    expect(deployment.instances).toHaveLength(1);
  });
});
