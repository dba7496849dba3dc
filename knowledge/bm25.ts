/** Okapi BM25 over pre-tokenised documents; serialisable so the index is built once. */
export interface Bm25Data {
  k1: number;
  b: number;
  avgLength: number;
  lengths: number[];
  /** term → [docIndex, termFrequency] pairs */
  postings: Record<string, [number, number][]>;
}

export interface Bm25Hit {
  doc: number;
  score: number;
}

export class Bm25Index {
  private readonly idf = new Map<string, number>();

  constructor(private readonly data: Bm25Data) {
    const n = data.lengths.length;
    for (const [term, list] of Object.entries(data.postings)) {
      this.idf.set(term, Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5)));
    }
  }

  static build(docs: string[][], k1 = 1.2, b = 0.4): Bm25Index {
    const postings: Record<string, [number, number][]> = {};
    docs.forEach((tokens, doc) => {
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [term, count] of tf) {
        postings[term] ??= [];
        postings[term].push([doc, count]);
      }
    });
    const lengths = docs.map((d) => d.length);
    const avgLength = lengths.reduce((a, c) => a + c, 0) / Math.max(1, lengths.length);
    return new Bm25Index({ k1, b, avgLength, lengths, postings });
  }

  toJSON(): Bm25Data {
    return this.data;
  }

  /** Inverse document frequency of a term, 0 for a term the corpus never uses. */
  idfOf(term: string): number {
    return this.idf.get(term) ?? 0;
  }

  /** Documents that contain a term. */
  docsWith(term: string): number[] {
    return (this.data.postings[term] ?? []).map(([doc]) => doc);
  }

  /**
   * Scores every document that shares a term with the query. `weights` lets
   * expanded synonyms count for less than the words the resident typed.
   */
  search(terms: string[], limit: number, weights?: Map<string, number>): Bm25Hit[] {
    const { k1, b, avgLength, lengths, postings } = this.data;
    const scores = new Map<number, number>();
    for (const term of new Set(terms)) {
      const list = postings[term];
      const idf = this.idf.get(term);
      if (!list || idf === undefined) continue;
      const w = weights?.get(term) ?? 1;
      for (const [doc, tf] of list) {
        const norm = tf + k1 * (1 - b + (b * (lengths[doc] ?? 0)) / avgLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (w * idf * tf * (k1 + 1)) / norm);
      }
    }
    return [...scores]
      .map(([doc, score]) => ({ doc, score }))
      .sort((x, y) => y.score - x.score)
      .slice(0, limit);
  }
}
