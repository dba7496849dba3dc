import type { QuestionItem } from "./dataset.ts";
import { mean, percentile, recallAt, reciprocalRank, round } from "./metrics.ts";

export interface RetrievalReport {
  n: number;
  recall_at_1: number;
  recall_at_5: number;
  mrr: number;
}

export type RankFn = (question: string) => Promise<string[]>;

/** Retrieval figures of CONTRACTS §5 over the answerable items, plus per-item latency. */
export async function evaluateRetrieval(items: QuestionItem[], rank: RankFn) {
  const answerable = items.filter((q) => q.kind === "answerable");
  const r1: number[] = [];
  const r5: number[] = [];
  const rr: number[] = [];
  const latencies: number[] = [];
  const misses: { id: string; gold: string[]; got: string[] }[] = [];
  for (const item of answerable) {
    const t0 = performance.now();
    const ranked = await rank(item.question);
    latencies.push(performance.now() - t0);
    r1.push(recallAt(ranked, item.gold, 1));
    r5.push(recallAt(ranked, item.gold, 5));
    rr.push(reciprocalRank(ranked, item.gold));
    if (recallAt(ranked, item.gold, 5) < 1)
      misses.push({ id: item.id, gold: item.gold, got: ranked.slice(0, 5) });
  }
  const report: RetrievalReport = {
    n: answerable.length,
    recall_at_1: round(mean(r1)),
    recall_at_5: round(mean(r5)),
    mrr: round(mean(rr)),
  };
  return {
    report,
    latencies,
    misses,
    p50: round(percentile(latencies, 50), 3),
    p95: round(percentile(latencies, 95), 3),
  };
}
