/** The profiler's progress as one line: a bar, the share done, what is measured now and the time left. */
import type { ProfileProgress } from '../profiler/progress-tracker.js';

const WIDTH = 24;

export function formatProgress(p: ProfileProgress): string {
  const filled = Math.round(p.fraction * WIDTH);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}]`;
  const left = p.remainingMs === undefined ? 'estimating' : `${formatDuration(p.remainingMs)} left`;
  return `${bar} ${(100 * p.fraction).toFixed(0).padStart(3)}%  ${formatDuration(p.elapsedMs)} elapsed, ${left}  ${p.label}`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
