/**
 * An application's module graph: the rate each module receives per application request (the sum over
 * paths of the product of fan-outs) and every source-to-sink path (budgets must sum to at most the SLO
 * along each). Refuses graphs with cycles, unknown modules or modules unreachable from a source.
 */
import type { PlanningApp } from './planning-problem.js';

export interface AppGraph {
  /** Modules in a topological order. */
  readonly order: readonly string[];
  /** Module requests per application request. */
  readonly multiplier: Readonly<Record<string, number>>;
  /** Every path from a module without incoming edges to one without outgoing edges. */
  readonly paths: readonly (readonly string[])[];
}

/** The graph of `app`, or a sentence saying what is wrong with it. */
export function appGraph(app: PlanningApp): AppGraph | string {
  const modules = new Set(app.modules);
  if (modules.size !== app.modules.length) return `app '${app.name}' lists a module twice`;
  const incoming = new Map<string, number>(app.modules.map((m) => [m, 0]));
  const children = new Map<string, { to: string; fanout: number }[]>(app.modules.map((m) => [m, []]));
  for (const edge of app.edges) {
    if (!modules.has(edge.from) || !modules.has(edge.to))
      return `app '${app.name}': edge ${edge.from} -> ${edge.to} names a module the app does not list`;
    children.get(edge.from)?.push({ to: edge.to, fanout: edge.fanout ?? 1 });
    incoming.set(edge.to, (incoming.get(edge.to) ?? 0) + 1);
  }
  const order: string[] = [];
  const pending = new Map(incoming);
  const ready = app.modules.filter((m) => (incoming.get(m) ?? 0) === 0);
  if (ready.length === 0) return `app '${app.name}' has no module without incoming edges`;
  const multiplier: Record<string, number> = Object.fromEntries(app.modules.map((m) => [m, 0]));
  for (const source of ready) multiplier[source] = 1;
  while (ready.length > 0) {
    const m = ready.shift() ?? '';
    order.push(m);
    for (const { to, fanout } of children.get(m) ?? []) {
      multiplier[to] = (multiplier[to] ?? 0) + (multiplier[m] ?? 0) * fanout;
      const left = (pending.get(to) ?? 0) - 1;
      pending.set(to, left);
      if (left === 0) ready.push(to);
    }
  }
  if (order.length !== app.modules.length) return `app '${app.name}': its edges form a cycle`;
  const paths: string[][] = [];
  const walk = (m: string, path: string[]): void => {
    const next = children.get(m) ?? [];
    if (next.length === 0) paths.push([...path, m]);
    for (const { to } of next) walk(to, [...path, m]);
  };
  for (const source of app.modules.filter((m) => (incoming.get(m) ?? 0) === 0)) walk(source, []);
  return { order, multiplier, paths };
}
