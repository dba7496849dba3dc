import type { Embedder } from "./dense.ts";
import { normalizeForSearch } from "./text-normalize.ts";

const DIMENSIONS = 1024;
const NON_WORD = /[^\p{Script=Han}a-z0-9]+/gu;

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function ngrams(text: string): string[] {
  const out: string[] = [];
  for (const run of normalizeForSearch(text).split(NON_WORD)) {
    for (let i = 0; i + 1 < run.length; i++) {
      out.push(run.slice(i, i + 2));
      if (i + 2 < run.length) out.push(run.slice(i, i + 3));
    }
  }
  return out;
}

/**
 * Hashed character bi- and tri-grams weighted by IDF from the corpus itself:
 * a dense representation that needs no model download and tolerates typos
 * and words the segmenter cuts differently.
 */
export class NgramEmbedder implements Embedder {
  readonly id = `ngram-hash-${DIMENSIONS}`;
  readonly dimensions = DIMENSIONS;

  private constructor(private readonly idf: Map<string, number>) {}

  static fit(corpus: string[]): NgramEmbedder {
    const df = new Map<string, number>();
    for (const text of corpus)
      for (const g of new Set(ngrams(text))) df.set(g, (df.get(g) ?? 0) + 1);
    const n = corpus.length;
    const idf = new Map([...df].map(([g, d]) => [g, Math.log((n + 1) / (d + 0.5))]));
    return new NgramEmbedder(idf);
  }

  static fromJSON(data: [string, number][]): NgramEmbedder {
    return new NgramEmbedder(new Map(data));
  }

  toJSON(): [string, number][] {
    return [...this.idf];
  }

  embedOne(text: string): number[] {
    const v = new Array<number>(DIMENSIONS).fill(0);
    const unseen = Math.log(2);
    for (const g of ngrams(text)) {
      const h = fnv1a(g);
      // The sign bit keeps colliding n-grams from only ever adding up.
      v[h % DIMENSIONS] =
        (v[h % DIMENSIONS] ?? 0) + (h & 0x80000000 ? -1 : 1) * (this.idf.get(g) ?? unseen);
    }
    const norm = Math.hypot(...v);
    return norm === 0 ? v : v.map((x) => x / norm);
  }

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedOne(t));
  }
}
