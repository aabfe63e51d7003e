/**
 * Subscribers to one kind of event. A listener that throws does not stop the others nor its emitter: its
 * error is rethrown on its own (as an uncaught exception), so a bug in a listener surfaces without
 * corrupting the emitter's state half-way through an update.
 */
export class ListenerSet<E> {
  private readonly listeners = new Set<(event: E) => void>();

  /** Adds a listener; returns the function that removes it. */
  add(listener: (event: E) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  emit(event: E): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
