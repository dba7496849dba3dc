import type { Bm25Index } from "./bm25.ts";
import type { DenseIndex, Embedder } from "./dense.ts";
import { reciprocalRankFusion } from "./fusion.ts";
import type { Passage } from "./passages.ts";
import type { ReferenceResolver, ResolvedReferences } from "./references.ts";
import { normalizeForSearch } from "./text-normalize.ts";
import type { Tokenizer } from "./tokenizer.ts";
import type { Unit } from "./unit.ts";

export interface SearchHit {
  key: string;
  unit: Unit;
  /** Fused score; exact references rank above everything else. */
  score: number;
  exact: boolean;
  /** Best BM25 score of any passage of this unit (0 when none matched). */
  bm25: number;
  /** Best cosine similarity of any passage of this unit (0 when none was near). */
  similarity: number;
}

export interface QueryAnalysis {
  normalized: string;
  /** Tokens of what the resident typed. */
  tokens: string[];
  /** Sources' words found for residents' words through the thesaurus. */
  expansions: string[];
}

export interface SearchResult {
  hits: SearchHit[];
  references: ResolvedReferences;
  analysis: QueryAnalysis;
}

export interface SearchOptions {
  limit?: number;
  /** The document the conversation is about, for a bare 第二条. */
  contextDoc?: string;
  /** Leave out the dense side (for measuring what it adds). */
  denseWeight?: number;
}

export interface RetrieverParts {
  units: Unit[];
  passages: Passage[];
  bm25: Bm25Index;
  /** The dense side: present only with a remote embedder. */
  dense?: DenseIndex;
  embedder?: Embedder;
  tokenizer: Tokenizer;
  expand: (normalizedQuery: string) => string[];
  /** Corrects residents' misspellings in a normalised query. */
  fixTypos?: (normalizedQuery: string) => string;
  /** Blanks local place names, which say where a problem is, not which rule applies. */
  stripPlaces?: (normalizedQuery: string) => string;
  /**
   * Weight of the dense ranking in the fusion: semantic embeddings from an
   * endpoint bring what lexical matching cannot; without them it is 0.
   */
  denseWeight: number;
  /** Score multiplier per document: local rules first for a local resident. */
  docPrior: Map<string, number>;
  resolve: ReferenceResolver;
}

// Weights measured on the evaluation sets (npm run eval): each was set where
// recall@5 and MRR stopped improving, on ours and on the shared sample alike.
const EXPANSION_WEIGHT = 0.5;
const CLAUSE_WEIGHT = 0.2;
const PHRASE_WEIGHT = 1;
const COVERAGE_EXPONENT = 0.5;
const NAMED_DOC_BOOST = 1.6;
const BIGRAM_WEIGHT = 0.6;

const NO_UNITS: ReadonlySet<number> = new Set<number>();

/** BM25 and dense retrieval fused by reciprocal rank, with exact references first. */
export class HybridRetriever {
  private readonly byKey: Map<string, number>;

  constructor(readonly parts: RetrieverParts) {
    this.byKey = new Map(parts.units.map((u, i) => [u.key, i]));
  }

  /**
   * The units any of whose passages contain a term (for coverage). Worked out
   * per query and not kept: a memo keyed on every term ever asked (bigrams
   * included) grew with each message for as long as the process ran.
   */
  private unitsWith(term: string): Set<number> {
    const set = new Set<number>();
    for (const doc of this.parts.bm25.docsWith(term)) {
      const u = this.parts.passages[doc]?.unit;
      if (u !== undefined) set.add(u);
    }
    return set;
  }

  unit(key: string): Unit | undefined {
    const i = this.byKey.get(key);
    return i === undefined ? undefined : this.parts.units[i];
  }

  analyze(query: string): QueryAnalysis {
    const plain = normalizeForSearch(query);
    const fixed = this.parts.fixTypos?.(plain) ?? plain;
    const normalized = this.parts.stripPlaces?.(fixed) ?? fixed;
    return {
      normalized,
      tokens: this.parts.tokenizer.tokens(normalized),
      expansions: this.parts.expand(normalized),
    };
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const limit = options.limit ?? 10;
    const { units, passages, bm25, dense, embedder, tokenizer } = this.parts;
    const analysis = this.analyze(query);
    const references = this.parts.resolve(query, options.contextDoc);

    const weights = new Map<string, number>();
    for (const t of tokenizer.tokens(analysis.expansions.join(" ")))
      weights.set(t, EXPANSION_WEIGHT);
    for (const t of analysis.tokens) weights.set(t, 1);
    for (const b of tokenizer.bigrams(analysis.normalized))
      if (!weights.has(b)) weights.set(b, BIGRAM_WEIGHT);
    // A unit's lexical score adds up its whole text, its best 款 (at reduced
    // weight, as it repeats the whole) and its residents' phrases.
    const unitScore = new Map<number, number>();
    const clauseScore = new Map<number, number>();
    const phraseScore = new Map<number, number>();
    for (const hit of bm25.search([...weights.keys()], 400, weights)) {
      const p = passages[hit.doc];
      if (!p) continue;
      const target = p.clause === -1 ? unitScore : p.clause === -2 ? phraseScore : clauseScore;
      if (hit.score > (target.get(p.unit) ?? 0)) target.set(p.unit, hit.score);
    }
    // Coverage: how much of the question's weight a unit speaks to at all,
    // so a unit matching several of the resident's concepts beats one that
    // repeats a single common word.
    const termMass = [...weights].map(([term, w]) => {
      const mass = w * bm25.idfOf(term);
      // A term the corpus never uses (most bigrams) weighs nothing and is in no unit.
      return { units: mass > 0 ? this.unitsWith(term) : NO_UNITS, mass };
    });
    const totalWeight = termMass.reduce((a, t) => a + t.mass, 0);
    const coverageOf = (u: number) =>
      termMass.reduce((a, t) => a + (t.units.has(u) ? t.mass : 0), 0);
    const named = new Set(references.docs);
    const bestBm25 = new Map<number, number>();
    for (const u of new Set([...unitScore.keys(), ...clauseScore.keys(), ...phraseScore.keys()])) {
      const docId = units[u]?.docId ?? "";
      const boost = this.parts.docPrior.get(docId) ?? 1;
      const score =
        (unitScore.get(u) ?? 0) +
        CLAUSE_WEIGHT * (clauseScore.get(u) ?? 0) +
        PHRASE_WEIGHT * (phraseScore.get(u) ?? 0);
      const coverage = totalWeight > 0 ? coverageOf(u) / totalWeight : 0;
      const mentioned = named.has(docId) ? NAMED_DOC_BOOST : 1;
      bestBm25.set(u, score * boost * mentioned * coverage ** COVERAGE_EXPONENT);
    }

    const denseWeight = options.denseWeight ?? this.parts.denseWeight;
    const bestSim = new Map<number, number>();
    if (dense && embedder && denseWeight > 0 && analysis.normalized.trim() !== "") {
      const [vector] = await embedder.embed([
        [analysis.normalized, ...analysis.expansions].join(" "),
      ]);
      for (const hit of vector ? dense.search(vector, 80) : []) {
        const u = passages[hit.passage]?.unit;
        if (u !== undefined && hit.similarity > (bestSim.get(u) ?? 0))
          bestSim.set(u, hit.similarity);
      }
    }

    const ranked = (m: Map<number, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([u]) => u);
    const fused = reciprocalRankFusion([
      { ids: ranked(bestBm25), weight: 1 },
      { ids: ranked(bestSim), weight: denseWeight },
    ]);
    const exact = references.found
      .map((k) => this.byKey.get(k))
      .filter((i): i is number => i !== undefined);
    const order = [
      ...exact,
      ...[...fused]
        .sort((a, b) => b[1] - a[1])
        .map(([u]) => u)
        .filter((u) => !exact.includes(u)),
    ].slice(0, limit);

    const hits = order.map((u, rank): SearchHit => {
      const unit = units[u] as Unit;
      const isExact = rank < exact.length;
      return {
        key: unit.key,
        unit,
        score: isExact ? 1 + (exact.length - rank) : (fused.get(u) ?? 0),
        exact: isExact,
        bm25: bestBm25.get(u) ?? 0,
        similarity: bestSim.get(u) ?? 0,
      };
    });
    return { hits, references, analysis };
  }
}
