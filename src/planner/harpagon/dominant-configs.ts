/**
 * The configurations a minimum-cost module plan can need, with those that can never help removed.
 *
 * A configuration A dominates B when, at every budget, n instances of A can stand in for n instances of
 * B in any plan: A is no dearer per instance, carries at least as much, has no longer a batch latency
 * l(b,c) and no longer a fill time, so it needs no more instances to fill its batches in time (the
 * fewest instances for budget L is ⌈fill / (L − l)⌉, DESIGN §3 with dummies). Across hardware kinds the
 * swap moves instances onto A's kind, so A must then have no instance limit. Accuracy plays no part:
 * Harpagon minimises cost only (the paper has no variant choice; any variant is allowed here).
 *
 * Only configurations of the same batch size are compared: across batch sizes capacity and latency
 * trade off, so dominance there is rare (none on the realistic problems of the timing test), and
 * skipping those comparisons makes the scan several times shorter. Keeping a dominated configuration
 * is always safe; it only costs the solves a little time.
 */
import { ascendingOrder } from '../../core/ascending-order.js';
import { float64Columns } from '../../core/columns.js';
import type { HardwareSpec } from '../planning-problem.js';
import type { ConfigColumns, TupleConfig } from '../tuple-configs.js';

/**
 * Time in ms for one instance running at its capacity (ρ included) to gather the b − 1 requests that
 * complete a batch: the worst-case latency of n such instances is l(b,c) + fillMs / n.
 */
export function fillMsOf(config: TupleConfig): number {
  return fillMsAt(config.batch, config.instanceRps);
}

/** `fillMsOf` of a configuration given by its batch and capacity. */
export function fillMsAt(batch: number, instanceRps: number): number {
  return batch <= 1 ? 0 : (1000 * (batch - 1)) / instanceRps;
}

/** What the dominance test reads of each configuration. */
export type DominanceColumns = Pick<
  ConfigColumns,
  'count' | 'hardware' | 'batch' | 'latencyMs' | 'instanceRps' | 'instanceCostPerHour'
>;

/**
 * The rows of `columns`, at most one per (hardware, cores, batch) as `fastestConfigColumns` gives
 * them, that no other of the same batch size dominates, in price order (ties: more capacity, then
 * shorter latency first, across hardware kinds; one kind's in the order given).
 */
export function undominatedRows(columns: DominanceColumns): Int32Array {
  const { count, batch, latencyMs: latency, instanceRps: rps, instanceCostPerHour } = columns;
  const price = instanceCostPerHour.subarray(0, count);
  const { fill, kind, group } = float64Columns(count, ['fill', 'kind', 'group']);
  const batches: number[] = [];
  const kinds = new Map<string, number>();
  const unlimited: boolean[] = [];
  let lastHardware: HardwareSpec | undefined;
  let lastKind = 0;
  for (let i = 0; i < count; i++) {
    const hardware = columns.hardware[i]!;
    if (hardware !== lastHardware) {
      lastHardware = hardware;
      lastKind = kinds.get(hardware.name) ?? kinds.size;
      if (lastKind === kinds.size) {
        kinds.set(hardware.name, lastKind);
        unlimited.push(hardware.maxInstances === undefined);
      }
    }
    fill[i] = fillMsAt(batch[i]!, rps[i]!);
    kind[i] = lastKind;
    let g = 0;
    while (g < batches.length && batches[g] !== batch[i]) g++;
    if (g === batches.length) batches.push(batch[i]!);
    group[i] = g;
  }
  const order = priceOrder(price, rps, latency, kind);
  // Kept ones so far (all no dearer: price order), by batch size; per batch size the kept one carrying
  // most of each kind and of the unlimited kinds together. Within a batch size more capacity is a
  // shorter latency and fill time too, so one of those two dominates whenever any kept one does (the
  // scan of all is for the float edge where capacities tie and latencies do not).
  const kindCount = unlimited.length;
  const kept: number[][] = batches.map(() => []);
  const bestOfKind = new Array<number>(batches.length * kindCount).fill(-1);
  const bestUnlimited = new Array<number>(batches.length).fill(-1);
  const beats = (a: number, b: number): boolean =>
    a >= 0 &&
    rps[a]! >= rps[b]! &&
    latency[a]! <= latency[b]! &&
    fill[a]! <= fill[b]! &&
    (kind[a] === kind[b] || unlimited[kind[a]!] === true);
  let out = 0;
  for (let j = 0; j < count; j++) {
    const b = order[j]!;
    const g = group[b]!;
    const ofKind = bestOfKind[g * kindCount + kind[b]!]!;
    const ofUnlimited = bestUnlimited[g]!;
    let dominated = beats(ofKind, b) || beats(ofUnlimited, b);
    const most = Math.max(ofKind >= 0 ? rps[ofKind]! : -1, ofUnlimited >= 0 ? rps[ofUnlimited]! : -1);
    const same = kept[g]!;
    for (let k = 0; !dominated && most >= rps[b]! && k < same.length; k++) dominated = beats(same[k]!, b);
    if (dominated) continue;
    same.push(b);
    if (ofKind < 0 || rps[b]! > rps[ofKind]!) bestOfKind[g * kindCount + kind[b]!] = b;
    if (unlimited[kind[b]!] === true && (ofUnlimited < 0 || rps[b]! > rps[ofUnlimited]!))
      bestUnlimited[g] = b;
    order[out++] = b;
  }
  return order.subarray(0, out);
}

/**
 * Row indices by ascending price; at one price more capacity (then a shorter latency) first, so the one
 * that dominates comes first. Only runs mixing hardware kinds need that (one kind and core count at one
 * price differ in batch size, never compared).
 */
function priceOrder(
  price: Float64Array,
  rps: Float64Array,
  latency: Float64Array,
  kind: Float64Array,
): Int32Array {
  const order = ascendingOrder(price);
  for (let from = 0; from < order.length;) {
    let to = from + 1;
    let mixed = false;
    for (; to < order.length && price[order[to]!] === price[order[from]!]; to++)
      mixed ||= kind[order[to]!] !== kind[order[from]!];
    if (mixed) order.subarray(from, to).sort((a, b) => rps[b]! - rps[a]! || latency[a]! - latency[b]!);
    from = to;
  }
  return order;
}
