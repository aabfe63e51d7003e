/**
 * A workload spec or trace text that cannot be used. Thrown (not returned) because it is a configuration
 * mistake found before anything runs; the CLI turns it into a usage error with the message as is.
 */
export class WorkloadError extends Error {
  override readonly name = 'WorkloadError';
}
