/**
 * Runs jobs one after another per key and concurrently across keys, so one
 * conversation's messages are handled in the order they arrived while other
 * conversations are not held up.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  run<T>(key: string, job: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(job);
    // The chain continues past a failed job; the caller still sees its own failure.
    const tail = result.then(
      () => undefined,
      (e: unknown) => this.onError(e),
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves once every queued job (including ones queued meanwhile) has finished. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.allSettled([...this.tails.values()]);
  }

  get size(): number {
    return this.tails.size;
  }
}
