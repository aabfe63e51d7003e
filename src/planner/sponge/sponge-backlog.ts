/**
 * Sponge's own feasibility rule (papers.md §1): the requests arriving in one second, drained in batches
 * of b by each of n instances, finish within the SLO less the network delay already spent, with margin m:
 *   ⌈λ / (n·b)⌉ · l(b, c) + d_net ≤ m · SLO        (λ: requests per second; m = 0.9).
 * It is a throughput rule in disguise (a second's backlog must drain well within the SLO) and ignores
 * the time a batch waits to fill; the planning model (DESIGN.md §3) holds a plan to both. Sluice's Sponge
 * reports it alongside the plan, which must in any case satisfy the planning model.
 */

/** Sponge's margin m on the SLO. */
export const SPONGE_MARGIN = 0.9;

export interface SpongeBacklogInput {
  readonly rateRps: number;
  readonly batch: number;
  /** l(b, c), ms. */
  readonly latencyMs: number;
  /** Default 1. */
  readonly instances?: number;
  /** The application's SLO, ms. */
  readonly sloMs: number;
  /** d_net: the network delay already spent by the worst request, ms; default 0. */
  readonly networkMs?: number;
  /** m; default `SPONGE_MARGIN`. */
  readonly margin?: number;
}

export interface SpongeBacklog {
  /** ⌈λ/(n·b)⌉ · l(b, c) + d_net, ms. */
  readonly backlogMs: number;
  /** m · SLO, ms. */
  readonly limitMs: number;
  readonly met: boolean;
}

/** Sponge's backlog rule for one configuration. */
export function spongeBacklog(input: SpongeBacklogInput): SpongeBacklog {
  const perInstance = input.rateRps / ((input.instances ?? 1) * input.batch);
  // A one-second window: ⌈λ/b⌉ batches; the tiny tolerance keeps 3.0000000001 batches at 3.
  const batches = Math.ceil(perInstance - 1e-9);
  const backlogMs = batches * input.latencyMs + (input.networkMs ?? 0);
  const limitMs = (input.margin ?? SPONGE_MARGIN) * input.sloMs;
  return { backlogMs, limitMs, met: backlogMs <= limitMs };
}
