/**
 * Answer cards: reviewed, short answers to the questions residents ask most,
 * kept as YAML under knowledge/cards/ and checked against the loaded sources.
 *
 * A card only reaches a resident when every quote it relies on is found word
 * for word in the unit it cites, so a card written for one province's
 * regulation simply stays silent over another province's sources.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { KnowledgeBase } from "./knowledge-base.ts";
import { foldWidth, normalizeForSearch } from "./text-normalize.ts";
import { unitText } from "./unit.ts";
import { readYamlFile } from "./yaml-cache.ts";

export const DEFAULT_CARDS_DIR = fileURLToPath(new URL("./cards/", import.meta.url));

export const CitationKeySchema = z
  .string()
  .regex(/^[a-z0-9-]+:\d+(?:\.\d+)*$/, "citation key must look like <doc-id>:<unit>");

const PLAIN_LINE = z
  .string()
  .min(2)
  .refine((t) => !t.includes("\n"), "one line")
  .refine((t) => !/\*\*|`|^\s*[-*#>]\s/.test(t), "plain text, no Markdown");

export const CardCitationSchema = z.object({
  key: CitationKeySchema,
  /** One sentence copied verbatim from the unit's text. */
  quote: z.string().min(6),
  /**
   * A supporting source the conclusion does not depend on (e.g. the city
   * plan): left out when its document is not loaded instead of dropping the card.
   */
  optional: z.boolean().default(false),
});

export const CardSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  topic: z.string().regex(/^[a-z0-9-]+$/),
  /** How residents ask it: colloquial, short, varied. */
  questions: z.array(z.string().min(2)).min(4).max(10),
  /** The straight answer, one or two plain sentences. */
  conclusion: PLAIN_LINE.max(150),
  conditions: z.array(PLAIN_LINE.max(80)).optional(),
  next_steps: z.array(PLAIN_LINE.max(80)).optional(),
  /** Most important first. */
  citations: z.array(CardCitationSchema).min(1).max(3),
  /**
   * A general (national) card that gives way to more specific ones: used only
   * when none of these cards is usable over the loaded sources.
   */
  replaced_by: z.array(z.string()).optional(),
});

/** A card file: one topic, its cards (which take the file's topic). */
export const CardFileSchema = z.object({
  topic: CardSchema.shape.topic,
  cards: z.array(CardSchema.omit({ topic: true })).min(1),
});

export type Card = z.infer<typeof CardSchema>;
export type CardCitation = Card["citations"][number];

export interface CardProblem {
  card: string;
  key?: string;
  problem: "missing_unit" | "quote_not_in_unit";
}

export interface CardMatch {
  card: Card;
  /** Idf-weighted cosine similarity to the card's closest question variant, 0–1. */
  score: number;
  /** The variant that matched best. */
  variant: string;
}

export interface CardIndex {
  /** Cards usable over the loaded sources (missing optional citations removed). */
  cards: Card[];
  /** Cards left out and why (missing units, quotes not found). */
  problems: CardProblem[];
  get(id: string): Card | undefined;
  /**
   * The best card that may answer the question, or undefined. Pass the
   * retriever's hits for the same question (best first) when you have them:
   * matching is then both more precise and covers more questions.
   */
  match(question: string, hits?: readonly { key: string }[]): CardMatch | undefined;
  /** Runs the retriever for the question, then match(question, hits). */
  lookup(question: string): Promise<CardMatch | undefined>;
  /** The top cards by score regardless of threshold (for tuning and reports). */
  rank(question: string, limit?: number): CardMatch[];
}

/**
 * When a card may answer. Measured with knowledge/cards-measure.ts on the
 * tuning question sets (see the report it prints): a card whose citations
 * include the retriever's first unit is right far more often than lexical
 * similarity alone can tell, so agreement with retrieval lowers the bar; a
 * question nearly identical to a variant needs no agreement.
 */
export const MATCH_THRESHOLDS = {
  /** With the retriever's top unit among the card's citations. */
  agreeing: 0.2,
  /** When the retriever's top unit is not among the card's citations. */
  alone: 0.6,
  /** When the caller has no retrieval hits at all. */
  lexicalOnly: 0.45,
} as const;

/** How many of the retriever's units count as agreeing, and how much more a card needs past the first. */
const NEAR_HITS = 5;
const NEAR_MARGIN = 0.15;

export type MatchThresholds = { [K in keyof typeof MATCH_THRESHOLDS]: number };

/** Reads and validates every card file in a folder; throws on invalid data. */
export function loadCards(dir: string = DEFAULT_CARDS_DIR): Card[] {
  const cards: Card[] = [];
  const ids = new Set<string>();
  for (const f of readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()) {
    let data: unknown;
    try {
      data = readYamlFile(join(dir, f));
    } catch (e) {
      throw new Error(`${f}: ${(e as Error).message}`);
    }
    const parsed = CardFileSchema.safeParse(data);
    if (!parsed.success) throw new Error(`${f}: ${z.prettifyError(parsed.error)}`);
    for (const c of parsed.data.cards) {
      if (ids.has(c.id)) throw new Error(`${f}: duplicate card id ${c.id}`);
      ids.add(c.id);
      cards.push({ ...c, topic: parsed.data.topic });
    }
  }
  return cards;
}

/** Width of punctuation and white space are how copies of the same text differ. */
export function normalizeQuote(text: string): string {
  return foldWidth(text)
    .replace(/[\s\u00a0]+/gu, "")
    .replace(/[“”]/g, '"');
}

/**
 * The quote as the unit's text writes it (punctuation width and line breaks
 * of the source kept), or undefined when the unit does not contain it.
 */
export function sourceQuote(kb: KnowledgeBase, key: string, quote: string): string | undefined {
  const unit = kb.unit(key);
  if (!unit) return undefined;
  const text = unitText(unit);
  // Normalise the source one character at a time, remembering where each came from.
  let normalized = "";
  const from: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = normalizeQuote(text[i] ?? "");
    if (c === "") continue;
    normalized += c;
    from.push(i);
  }
  const wanted = normalizeQuote(quote);
  const at = wanted === "" ? -1 : normalized.indexOf(wanted);
  if (at < 0) return undefined;
  const start = from[at] ?? 0;
  const end = (from[at + wanted.length - 1] ?? start) + 1;
  return text.slice(start, end).replace(/\s*\n\s*/g, "");
}

/** True when the quote appears word for word in the unit's text. */
export function quoteInUnit(kb: KnowledgeBase, key: string, quote: string): boolean {
  return sourceQuote(kb, key, quote) !== undefined;
}

/**
 * The cards usable over this knowledge base, quotes taken from the source
 * text: a card with a required citation
 * missing or a quote not found in its unit is left out; an optional citation
 * whose document is not loaded is removed from the card.
 */
export function checkCards(
  cards: Card[],
  kb: KnowledgeBase,
): { cards: Card[]; problems: CardProblem[] } {
  const usable: Card[] = [];
  const problems: CardProblem[] = [];
  for (const card of cards) {
    const kept: CardCitation[] = [];
    let ok = true;
    for (const c of card.citations) {
      if (!kb.unit(c.key)) {
        if (!c.optional) {
          problems.push({ card: card.id, key: c.key, problem: "missing_unit" });
          ok = false;
        }
        continue;
      }
      const exact = sourceQuote(kb, c.key, c.quote);
      if (exact === undefined) {
        problems.push({ card: card.id, key: c.key, problem: "quote_not_in_unit" });
        ok = false;
        continue;
      }
      // Shown to residents as the source prints it, not as the card file typed it.
      kept.push({ ...c, quote: exact });
    }
    if (ok && kept.length > 0) usable.push({ ...card, citations: kept });
  }
  const ids = new Set(usable.map((c) => c.id));
  return {
    cards: usable.filter((c) => !c.replaced_by?.some((id) => ids.has(id))),
    problems,
  };
}

// ---------------------------------------------------------------------------
// Matching a question to a card

type Vector = Map<string, number>;

const BIGRAM_WEIGHT = 0.5;
const EXPANSION_WEIGHT = 0.4;

export interface CardIndexOptions {
  dir?: string;
  /** Cards to use instead of reading a folder (already loaded). */
  cards?: Card[];
  thresholds?: Partial<MatchThresholds>;
}

/**
 * What matching needs of the cards over one knowledge base: the usable cards
 * and every question variant's terms. Checking every quote against the
 * sources and segmenting every variant is most of a start's work, so the
 * knowledge base keeps the result beside its saved index (see `derived`).
 */
export interface PreparedCards {
  cards: Card[];
  problems: CardProblem[];
  /** Each question variant: its card (index into `cards`), its text, its terms in the order found. */
  variants: [number, string, [string, number][]][];
}

/** A question's terms: thesaurus expansions, Han bigrams and words, the strongest weight kept. */
function termsOf(kb: KnowledgeBase): (text: string) => Vector {
  const { tokenizer, expand } = kb.retriever.parts;
  return (text) => {
    const normalized = normalizeForSearch(text);
    const terms: Vector = new Map();
    const put = (t: string, w: number) => terms.set(t, Math.max(terms.get(t) ?? 0, w));
    for (const t of tokenizer.tokens(expand(normalized).join(" "))) put(t, EXPANSION_WEIGHT);
    for (const b of tokenizer.bigrams(normalized)) put(b, BIGRAM_WEIGHT);
    for (const t of tokenizer.tokens(normalized)) put(t, 1);
    return terms;
  };
}

/** Checks the cards over the knowledge base and works out their variants' terms. */
export function prepareCards(kb: KnowledgeBase, cards: Card[]): PreparedCards {
  const checked = checkCards(cards, kb);
  const rawTerms = termsOf(kb);
  return {
    ...checked,
    variants: checked.cards.flatMap((card, i) =>
      card.questions.map((q): [number, string, [string, number][]] => [i, q, [...rawTerms(q)]]),
    ),
  };
}

/** The shipped cards prepared over this knowledge base, from beside its index when saved there. */
function shippedPrepared(kb: KnowledgeBase): PreparedCards {
  const prepare = () => prepareCards(kb, loadCards());
  return kb.derived ? kb.derived("cards", prepare) : prepare();
}

/**
 * Indexes the question variants of every usable card with the project's
 * tokenizer and thesaurus, and matches a question to the card whose variant
 * is nearest by idf-weighted cosine similarity.
 */
export function createCardIndex(kb: KnowledgeBase, options: CardIndexOptions = {}): CardIndex {
  const limits = { ...MATCH_THRESHOLDS, ...options.thresholds };
  const checked =
    options.cards || options.dir !== undefined
      ? prepareCards(kb, options.cards ?? loadCards(options.dir))
      : shippedPrepared(kb);
  const rawTerms = termsOf(kb);

  const variants = checked.variants.map(([i, text, terms]) => ({
    card: checked.cards[i] as Card,
    text,
    terms: new Map(terms),
  }));
  const df = new Map<string, number>();
  for (const v of variants) for (const t of v.terms.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = variants.length;
  // A word no variant uses still counts against similarity, as a rare one.
  const idf = (t: string) => Math.log(1 + n / ((df.get(t) ?? 0) + 0.5));
  const weigh = (terms: Vector) => {
    const out: Vector = new Map();
    let norm = 0;
    for (const [t, w] of terms) {
      const x = w * idf(t);
      out.set(t, x);
      norm += x * x;
    }
    return { vector: out, norm: Math.sqrt(norm) };
  };
  const indexed = variants.map((v) => ({ ...v, ...weigh(v.terms) }));
  const byId = new Map(checked.cards.map((c) => [c.id, c]));

  const rank = (question: string, limit = 5): CardMatch[] => {
    const q = weigh(rawTerms(question));
    if (q.norm === 0) return [];
    const best = new Map<string, CardMatch>();
    for (const v of indexed) {
      let dot = 0;
      for (const [t, x] of q.vector) {
        const y = v.vector.get(t);
        if (y !== undefined) dot += x * y;
      }
      if (dot === 0) continue;
      const score = dot / (q.norm * v.norm);
      const prev = best.get(v.card.id);
      if (!prev || score > prev.score)
        best.set(v.card.id, { card: v.card, score, variant: v.text });
    }
    return [...best.values()].sort((a, b) => b.score - a.score).slice(0, limit);
  };

  const match = (question: string, hits?: readonly { key: string }[]) => {
    const candidates = rank(question, 10);
    if (!hits) return candidates.find((m) => m.score >= limits.lexicalOnly);
    // Agreement with retrieval: the first unit lowers the bar most, the next few a little less.
    const rankOf = new Map(hits.slice(0, NEAR_HITS).map((h, i) => [h.key, i]));
    const agreement = (m: CardMatch) =>
      Math.min(...m.card.citations.map((c) => rankOf.get(c.key) ?? Number.POSITIVE_INFINITY));
    return candidates.find((m) => {
      const at = agreement(m);
      return (
        m.score >= limits.alone ||
        (at === 0 && m.score >= limits.agreeing) ||
        (at < NEAR_HITS && m.score >= limits.agreeing + NEAR_MARGIN)
      );
    });
  };

  return {
    cards: checked.cards,
    problems: checked.problems,
    get: (id) => byId.get(id),
    rank,
    match,
    async lookup(question) {
      const { hits } = await kb.retriever.search(question, { limit: 3 });
      return match(question, hits);
    },
  };
}
