import type { Card } from "../knowledge/cards.ts";
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { SearchResult } from "../knowledge/retriever.ts";
import { QUANTITY_QUESTION, queryTerms, quoteUnit, selectHits } from "./answer-offline.ts";
import { type AnswerParts, MAX_BASES } from "./answer-parts.ts";

const BASE_BUDGET = 170;

function withFirst(
  bases: { key: string; quote: string }[],
  first: { key: string; quote: string } | undefined,
): { key: string; quote: string }[] {
  const top = bases.slice(0, MAX_BASES);
  if (!first || top.some((b) => b.key === first.key)) return top;
  return [...top.slice(0, MAX_BASES - 1), first];
}

/**
 * A reviewed card as answer parts: its conclusion leads; its citations are
 * the first bases, each the card's sentence widened by the sentences of the
 * same unit that speak to this question; units the retriever found that the
 * card does not cite fill the remaining bases. Conditions and next steps
 * follow. Citations of units not loaded are left out.
 */
export function cardParts(
  card: Card,
  kb: KnowledgeBase,
  result?: SearchResult,
  scale = 1,
): AnswerParts {
  const terms = result ? queryTerms(kb, result) : undefined;
  // Asked for a share or a deadline: the sentences with the figures are the ones asked for.
  const quantity = result ? QUANTITY_QUESTION.test(result.analysis.normalized) : false;
  const widen = (key: string, quote: string): string => {
    const unit = kb.unit(key);
    if (!unit || !terms) return quote;
    const around = quoteUnit(unit, terms, BASE_BUDGET * scale, quantity).text;
    if (around.includes(quote)) return around;
    return quote.includes(around) ? quote : `${quote}……${around}`;
  };
  const cited = card.citations.filter((c) => kb.unit(c.key));
  const keys = new Set(cited.map((c) => c.key));
  const bases = cited.map((c) => ({ key: c.key, quote: widen(c.key, c.quote) }));
  const seen = new Set<string>();
  const distinct = bases.filter((b) => !seen.has(b.key) && seen.add(b.key));
  const extra =
    result && terms
      ? selectHits(result)
          .filter((h) => !keys.has(h.key))
          .map((h) => ({
            key: h.key,
            quote: quoteUnit(h.unit, terms, BASE_BUDGET * scale, quantity).text,
          }))
      : [];
  return {
    lead: [{ text: card.conclusion }],
    // The unit the retriever ranks first is always among the bases: a card chosen by a
    // near match must not push out the rule that fits the question best.
    bases: withFirst([...distinct, ...extra], extra[0]),
    ...(card.conditions?.length ? { notes: [`注意：${card.conditions.join("")}`] } : {}),
    ...(card.next_steps?.length ? { steps: card.next_steps } : {}),
  };
}
