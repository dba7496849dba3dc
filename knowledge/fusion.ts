/**
 * Reciprocal-rank fusion: each ranking contributes weight / (k + rank).
 * Rank-based, so BM25 scores and cosine similarities need no calibration.
 */
export function reciprocalRankFusion(
  rankings: { ids: number[]; weight: number }[],
  k = 60,
): Map<number, number> {
  const fused = new Map<number, number>();
  for (const { ids, weight } of rankings) {
    ids.forEach((id, rank) => {
      fused.set(id, (fused.get(id) ?? 0) + weight / (k + rank + 1));
    });
  }
  return fused;
}
