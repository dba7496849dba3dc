import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { SearchHit, SearchResult } from "../knowledge/retriever.ts";
import { normalizeForSearch } from "../knowledge/text-normalize.ts";
import type { Unit } from "../knowledge/unit.ts";
import { citationLine } from "./citations.ts";
import { conflictsFor } from "./conflicts.ts";
import { DISCLAIMER, type Segment } from "./reply-text.ts";

export interface ComposedAnswer {
  segments: Segment[];
  citations: string[];
}

interface Sentence {
  text: string;
  /** The 款 lead an item belongs to (下列情形之一：), shown before it when there is room. */
  lead?: string;
  order: number;
}

const MAX_UNITS = 4;
const FOURTH_UNIT_SHARE = 0.65;
const PRIMARY_BUDGET = 260;
const SECONDARY_BUDGET = 170;
/** A question about an amount, a deadline or a share is answered by the sentence that has the number. */
export const QUANTITY_QUESTION =
  /多少|多大|多久|多长|几[天个年月日次成户人]|比例|罚多少|面积|期限|时间|标准/;
const QUANTITY_BONUS = 3;
/** Sibling items of a list quoted together when they are this short in all. */
const SIBLINGS_MAX_CHARS = 90;
const BIGRAM_SHARE = 0.4;
/** Budgets this wide (a private chat's widest quotes) have room for a chosen sentence's neighbour. */
const NEIGHBOUR_MIN_BUDGET = 250;
/** A sentence that carries the consequence of the one before (逾期不改正的，处…罚款). */
const CONSEQUENCE = /^(逾期|并处|处|情节严重|造成损失|拒不|警告后)/;
const HAS_QUANTITY =
  /[0-9一二三四五六七八九十百千万两]+(?:日|天|个月|年|平方米|元|%|分之|人|户)|[过半超]数|三分之|四分之|以上|以下/;
export const FULL_TEXT_HINT = "回复「全文」查看条文原文。";

function sentencesOf(unit: Unit): Sentence[] {
  const out: Sentence[] = [];
  for (const clause of unit.clauses) {
    for (const s of clause.text.split(/(?<=[。；;！？])/)) {
      if (s.trim() !== "") out.push({ text: s.trim(), order: out.length });
    }
    for (const item of clause.items) out.push({ text: item, lead: clause.text, order: out.length });
  }
  return out;
}

/** Weighted query terms: what the resident typed counts fully, thesaurus expansions less. */
export function queryTerms(kb: KnowledgeBase, result: SearchResult): Map<string, number> {
  const { tokenizer, bm25 } = kb.retriever.parts;
  const terms = new Map<string, number>();
  for (const t of tokenizer.tokens(result.analysis.expansions.join(" ")))
    terms.set(t, 0.8 * bm25.idfOf(t));
  for (const t of result.analysis.tokens) terms.set(t, bm25.idfOf(t));
  // Bigrams catch what segmentation split differently (8万平 / 两万平方米).
  for (const b of tokenizer.bigrams(result.analysis.normalized)) {
    if (!terms.has(b)) terms.set(b.slice(1), BIGRAM_SHARE * bm25.idfOf(b));
  }
  return terms;
}

/** The sentences of a unit that speak to the question, in their original order. */
export function quoteUnit(
  unit: Unit,
  terms: Map<string, number>,
  budget: number,
  quantity = false,
) {
  const sentences = sentencesOf(unit);
  const scored = sentences
    .map((s) => {
      const norm = normalizeForSearch(s.text);
      let score = 0;
      for (const [t, w] of terms) if (norm.includes(t)) score += w;
      if (quantity && HAS_QUANTITY.test(s.text)) score += QUANTITY_BONUS;
      return { s, score };
    })
    .sort((a, b) => b.score - a.score || a.s.order - b.s.order);
  const chosen: Sentence[] = [];
  let used = 0;
  for (const { s, score } of scored) {
    if (chosen.length > 0 && (score === 0 || used + s.text.length > budget)) continue;
    chosen.push(s);
    used += s.text.length;
  }
  // The penalty or consequence that follows a chosen sentence belongs with it.
  for (const s of [...chosen]) {
    const next = sentences[s.order + 1];
    if (
      next &&
      CONSEQUENCE.test(next.text) &&
      !chosen.includes(next) &&
      used + next.text.length <= budget * 1.4
    ) {
      chosen.push(next);
      used += next.text.length;
    }
  }
  // With room to spare, the sentence right after a chosen one (its condition, its exception, the
  // body that acts on it) is read with it, though it shares no word with the question.
  if (budget >= NEIGHBOUR_MIN_BUDGET) {
    for (const s of [...chosen].sort((a, b) => a.order - b.order)) {
      const next = sentences[s.order + 1];
      if (next && !next.lead && !chosen.includes(next) && used + next.text.length <= budget) {
        chosen.push(next);
        used += next.text.length;
      }
    }
  }
  // One of a short list of alternatives (符合下列条件之一) is read with the others.
  for (const s of [...chosen]) {
    if (!s.lead) continue;
    const siblings = sentences.filter((o) => o.lead === s.lead && !chosen.includes(o));
    const extra = siblings.reduce((n, o) => n + o.text.length, 0);
    if (siblings.length > 0 && extra <= SIBLINGS_MAX_CHARS && used + extra <= budget * 1.4) {
      chosen.push(...siblings);
      used += extra;
    }
  }
  chosen.sort((a, b) => a.order - b.order);
  const first = chosen[0];
  const withLead =
    first?.lead &&
    !chosen.some((c) => c.text === first.lead) &&
    used + first.lead.length <= budget * 1.4;
  const parts: string[] = [];
  if (withLead && first?.lead) parts.push(first.lead);
  chosen.forEach((s, i) => {
    const prev = chosen[i - 1];
    if (prev && s.order !== prev.order + 1) parts.push("……");
    parts.push(s.text);
  });
  return { text: parts.join(""), complete: chosen.length === sentences.length };
}

/** Units worth citing: exact references alone, else the top hits that are not far behind. */
export function selectHits(result: SearchResult): SearchHit[] {
  const exact = result.hits.filter((h) => h.exact);
  if (exact.length > 0) return exact.slice(0, MAX_UNITS);
  const top = result.hits[0];
  if (!top) return [];
  // The first three that are not far behind; a fourth only when it is nearly as strong.
  const near = (h: SearchHit, share: number) =>
    h.bm25 >= share * top.bm25 || (top.similarity > 0 && h.similarity >= 0.9 * top.similarity);
  return result.hits
    .slice(0, MAX_UNITS)
    .filter((h, i) => i === 0 || near(h, i < 3 ? 0.35 : FOURTH_UNIT_SHARE));
}

/**
 * The embedded default answerer: which rule applies, the sentences of each
 * unit that answer the question quoted exactly, a citation line per unit,
 * and the disclaimer. No model, no network.
 */
export function composeOfflineAnswer(kb: KnowledgeBase, result: SearchResult): ComposedAnswer {
  const hits = selectHits(result);
  const keys = hits.map((h) => h.key);
  const terms = queryTerms(kb, result);
  const names = keys.map((k) => kb.citation(k));
  const segments: Segment[] = [
    {
      text:
        names.length === 1
          ? `这个问题适用${names[0]}。\n\n`
          : `这个问题主要适用${names[0]}，另可参考${names.slice(1).join("、")}。\n\n`,
    },
  ];
  let partial = false;
  hits.forEach((h, i) => {
    const quote = quoteUnit(
      h.unit,
      terms,
      i === 0 ? PRIMARY_BUDGET : SECONDARY_BUDGET,
      QUANTITY_QUESTION.test(result.analysis.normalized),
    );
    partial ||= !quote.complete;
    segments.push(
      { text: `${kb.citation(h.key)}规定：“` },
      { text: quote.text, verbatim: true },
      { text: "”\n\n" },
    );
  });
  for (const c of conflictsFor(keys)) {
    segments.push({ text: `${c.note}\n\n` });
    if (!keys.includes(c.national) && kb.unit(c.national)) keys.push(c.national);
  }
  if (partial) segments.push({ text: `${FULL_TEXT_HINT}\n` });
  segments.push({ text: `${keys.map((k) => citationLine(kb, k)).join("\n")}\n${DISCLAIMER}` });
  return { segments, citations: keys };
}

/** The full text of units the resident was last shown (「全文」). */
export function composeFullText(kb: KnowledgeBase, keys: string[]): ComposedAnswer {
  const segments: Segment[] = [];
  for (const key of keys) {
    const unit = kb.unit(key);
    if (!unit) continue;
    const body = unit.clauses.flatMap((c) => [c.text, ...c.items]).join("\n");
    segments.push(
      { text: `${kb.citation(key)}\n` },
      { text: body, verbatim: true },
      { text: "\n\n" },
    );
  }
  segments.push({ text: `${keys.map((k) => citationLine(kb, k)).join("\n")}\n${DISCLAIMER}` });
  return { segments, citations: keys };
}
