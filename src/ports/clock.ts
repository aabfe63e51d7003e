/**
 * Time as an input. The live server uses the system clock; the simulator a virtual one. Nothing in the
 * pure layers (policy, planner, forecast, engine, control, sim) reads the wall clock or sets a timer
 * except through this port.
 */
export type TimerId = number;

export interface Clock {
  /** Milliseconds on a monotonic time line (fractional). */
  nowMs(): number;
  /** Call `fire` once, at `atMs` on this clock's time line (at once if it is already past). */
  setTimer(atMs: number, fire: () => void): TimerId;
  /** Cancel a timer that has not fired; cancelling a fired or unknown timer does nothing. */
  clearTimer(id: TimerId): void;
}
