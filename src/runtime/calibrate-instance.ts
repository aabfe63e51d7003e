/**
 * Measures a freshly started instance at two batch sizes with zero-filled inputs of the declared shapes,
 * so the engine's latency estimate starts from this machine's numbers instead of nothing. Runs through
 * the same `Backend.execute` path as real traffic.
 */
import { allocateTensorData, type Tensor } from '../core/tensor.js';
import type { InferencePayload, InferenceResult } from '../core/inference.js';
import type { ModuleSpec } from '../core/model-spec.js';
import type { Backend, BatchResult } from '../ports/backend.js';
import { WARMUP_DYNAMIC_DIM } from './warmup-shape.js';

export interface CalibrationPoint {
  readonly rows: number;
  readonly computeMs: number;
}

/**
 * Runs `runs` batches at one row and at `min(largeRows, maxBatch)` rows (batching modules only) and
 * returns the fastest time seen at each size: the first run after start-up still pays one-off costs.
 */
export async function calibrateInstance(
  backend: Backend<InferencePayload, InferenceResult>,
  target: { readonly instanceId: string; readonly group: string; readonly module: ModuleSpec },
  options: { readonly largeRows?: number; readonly runs?: number } = {},
): Promise<CalibrationPoint[]> {
  const { module } = target;
  const sizes =
    module.maxBatch > 0 ? [...new Set([1, Math.min(options.largeRows ?? 4, module.maxBatch)])] : [1];
  const points: CalibrationPoint[] = [];
  let batchId = -1;
  for (const rows of sizes) {
    const inputs = module.inputs.map((spec): Tensor => {
      const inner = spec.shape.map((d) => (d < 0 ? WARMUP_DYNAMIC_DIM : d));
      const shape = module.maxBatch > 0 ? [rows, ...inner] : inner;
      return {
        name: spec.name,
        datatype: spec.datatype,
        shape,
        data: allocateTensorData(
          spec.datatype,
          shape.reduce((a, b) => a * b, 1),
        ),
      };
    });
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < (options.runs ?? 2); run++) {
      const result = await new Promise<BatchResult<InferenceResult>>((resolve) => {
        backend.execute(
          {
            batchId: batchId--,
            group: target.group,
            instanceId: target.instanceId,
            items: [{ requestId: 'calibration', rows, payload: { inputs, outputs: undefined } }],
            rows,
          },
          resolve,
        );
      });
      if (!result.ok) throw result.error;
      best = Math.min(best, result.computeMs);
    }
    points.push({ rows, computeMs: best });
  }
  return points;
}
