import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { SearchResult } from "../knowledge/retriever.ts";
import { normalizeForSearch } from "../knowledge/text-normalize.ts";
import type { Unit } from "../knowledge/unit.ts";
import { QUANTITY_QUESTION, queryTerms, quoteUnit, selectHits } from "./answer-offline.ts";
import type { AnswerParts } from "./answer-parts.ts";
import { conflictsFor } from "./conflicts.ts";

/** Asks whether something is allowed: a prohibition in the rule answers 不能 plainly. */
const YES_NO =
  /能不能|能否|可不可以|可以不|能.{0,16}吗|可以.{0,16}吗|行吗|行不行|合法吗|合不合法|违法吗|允许|有没有权|有权.{0,8}吗|算不算|是不是|对吗|凭什么|凭啥|中不中/;
const PROHIBITS = /不得|禁止|严禁|不准|不能|不应当|不予/;
const LEAD_BUDGET = 90;
const MIN_PROHIBITION_WEIGHT = 1.5;
const BASE_BUDGET = 150;

/** What a quote says besides the lead, with an ellipsis where the lead was. */
function withoutLead(quote: string, lead: string): string {
  const parts = lead.split("……").filter((p) => p.length > 0);
  let rest = quote;
  for (const p of parts) rest = rest.replace(p, "……");
  return rest
    .replace(/(……)+/g, "……")
    .replace(/^……|……$/g, "")
    .trim();
}

/** The sentence of a unit that prohibits something the question names, if any. */
function prohibitionFor(unit: Unit, terms: Map<string, number>): string | undefined {
  let best: { text: string; score: number } | undefined;
  for (const clause of unit.clauses) {
    for (const sentence of [...clause.text.split(/(?<=[。；;])/), ...clause.items]) {
      if (!PROHIBITS.test(sentence)) continue;
      const norm = normalizeForSearch(sentence);
      let score = 0;
      for (const [t, w] of terms) if (t.length >= 2 && norm.includes(t)) score += w;
      if (score > (best?.score ?? 0)) best = { text: sentence.trim(), score };
    }
  }
  // A prohibition sharing only a stray word with the question does not answer it.
  return best && best.score >= 2 * MIN_PROHIBITION_WEIGHT ? best.text : undefined;
}

/**
 * The offline answer when no reviewed card fits: the lead is the sentence
 * of the best-matching unit that speaks to the question (with a plain 不能
 * when it prohibits what was asked), then the other units' supporting
 * sentences, all quoted verbatim.
 */
export function extractiveParts(
  kb: KnowledgeBase,
  result: SearchResult,
  /** How much of each unit to quote: more where a private chat has the room. */
  scale = 1,
): AnswerParts | undefined {
  const selected = selectHits(result).slice(0, 3);
  if (selected.length === 0) return undefined;
  const terms = queryTerms(kb, result);
  const quantity = QUANTITY_QUESTION.test(result.analysis.normalized);
  const yesNo = YES_NO.test(result.analysis.normalized);
  // Asked whether something is allowed: a prohibition that speaks to it answers first,
  // from whichever of the selected units holds it.
  const found = yesNo
    ? selected.map((h) => ({ h, p: prohibitionFor(h.unit, terms) })).find((x) => x.p !== undefined)
    : undefined;
  const hits = found ? [found.h, ...selected.filter((h) => h !== found.h)] : selected;
  const top = hits[0];
  if (!top) return undefined;
  const lead = found?.p ?? quoteUnit(top.unit, terms, LEAD_BUDGET, quantity).text;
  const plainNo = yesNo && PROHIBITS.test(lead);
  const bases = hits
    .map((h, i) => {
      const budget = (i === 0 ? BASE_BUDGET * 1.4 : BASE_BUDGET) * scale;
      const quote = quoteUnit(h.unit, terms, budget, quantity).text;
      // The first unit's lead is already quoted above: its base keeps only what the lead left out.
      return { key: h.key, quote: i === 0 ? withoutLead(quote, lead) : quote };
    })
    .filter((b) => b.quote.replace(/[…\s]/g, "").length >= 12);
  const keys = bases.map((b) => b.key);
  const conflicts = conflictsFor(keys);
  const notes = conflicts.map((c) => c.note);
  // The rule that prevails is cited whenever the note says it prevails.
  const prevailing = conflicts
    .map((c) => c.national)
    .filter((k) => kb.unit(k) && !keys.includes(k));
  return {
    lead: [
      { text: `${plainNo ? "不能。" : ""}按${kb.citation(top.key)}：「` },
      { text: lead, verbatim: true },
      { text: "」" },
    ],
    leadKeys: [top.key, ...prevailing],
    bases,
    notes,
  };
}
