/**
 * Okapi BM25 over pre-tokenised documents; serialisable so the index is built
 * once. Postings are kept flat (one array of documents and one of term
 * frequencies, sliced per term): the saved index parses in a few milliseconds
 * and holds no small array per term.
 */
export interface Bm25Data {
  k1: number;
  b: number;
  avgLength: number;
  lengths: number[];
  terms: string[];
  /** Postings of terms[i] are docs/tfs[starts[i] .. starts[i+1]). */
  starts: number[];
  docs: number[];
  tfs: number[];
}

export interface Bm25Hit {
  doc: number;
  score: number;
}

export class Bm25Index {
  private readonly termIndex = new Map<string, number>();
  private readonly idf: Float64Array;

  constructor(private readonly data: Bm25Data) {
    const n = data.lengths.length;
    this.idf = new Float64Array(data.terms.length);
    data.terms.forEach((term, i) => {
      this.termIndex.set(term, i);
      const df = (data.starts[i + 1] ?? 0) - (data.starts[i] ?? 0);
      this.idf[i] = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    });
  }

  static build(docs: string[][], k1 = 1.2, b = 0.4): Bm25Index {
    const postings = new Map<string, [number, number][]>();
    docs.forEach((tokens, doc) => {
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [term, count] of tf) {
        const list = postings.get(term);
        if (list) list.push([doc, count]);
        else postings.set(term, [[doc, count]]);
      }
    });
    const data: Bm25Data = {
      k1,
      b,
      avgLength: 0,
      lengths: [],
      terms: [],
      starts: [0],
      docs: [],
      tfs: [],
    };
    for (const [term, list] of postings) {
      data.terms.push(term);
      for (const [doc, count] of list) {
        data.docs.push(doc);
        data.tfs.push(count);
      }
      data.starts.push(data.docs.length);
    }
    data.lengths = docs.map((d) => d.length);
    data.avgLength = data.lengths.reduce((a, c) => a + c, 0) / Math.max(1, data.lengths.length);
    return new Bm25Index(data);
  }

  toJSON(): Bm25Data {
    return this.data;
  }

  /** Inverse document frequency of a term, 0 for a term the corpus never uses. */
  idfOf(term: string): number {
    const i = this.termIndex.get(term);
    return i === undefined ? 0 : (this.idf[i] ?? 0);
  }

  /** Documents that contain a term. */
  docsWith(term: string): number[] {
    const i = this.termIndex.get(term);
    if (i === undefined) return [];
    return this.data.docs.slice(this.data.starts[i], this.data.starts[i + 1]);
  }

  /**
   * Scores every document that shares a term with the query. `weights` lets
   * expanded synonyms count for less than the words the resident typed.
   */
  search(terms: string[], limit: number, weights?: Map<string, number>): Bm25Hit[] {
    const { k1, b, avgLength, lengths, starts, docs, tfs } = this.data;
    const scores = new Map<number, number>();
    for (const term of new Set(terms)) {
      const i = this.termIndex.get(term);
      if (i === undefined) continue;
      const idf = this.idf[i] ?? 0;
      const w = weights?.get(term) ?? 1;
      for (let p = starts[i] ?? 0; p < (starts[i + 1] ?? 0); p++) {
        const doc = docs[p] ?? 0;
        const tf = tfs[p] ?? 0;
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
