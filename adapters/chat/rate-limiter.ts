/**
 * A fixed-window counter per key. Past the limit the first refused message
 * gets one polite notice ("notice"), the rest are dropped silently
 * ("blocked"), so a flood never turns into a flood of replies.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number; noticed: boolean }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): "allowed" | "notice" | "blocked" {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      w = { start: t, count: 0, noticed: false };
      this.windows.set(key, w);
      if (this.windows.size > 50_000) this.prune(t);
    }
    w.count++;
    if (w.count <= this.limit) return "allowed";
    if (w.noticed) return "blocked";
    w.noticed = true;
    return "notice";
  }

  private prune(t: number): void {
    for (const [k, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(k);
  }
}
