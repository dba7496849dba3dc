/**
 * A card as the resident reads it: the conclusion first, the bases quoted
 * exactly with their article, next steps; shortened to the room a chat gives
 * by leaving the least needed parts to 「详细」.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { cardParts } from "../../bot/answer-card.ts";
import { fitAnswer, MORE_HINT } from "../../bot/answer-parts.ts";
import { type Card, type CardIndex, createCardIndex } from "../../knowledge/cards.ts";
import type { KnowledgeBase } from "../../knowledge/knowledge-base.ts";
import { unitText } from "../../knowledge/unit.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

let kb: KnowledgeBase;
let index: CardIndex;
beforeAll(async () => {
  kb = await shippedKnowledgeBase();
  index = createCardIndex(kb);
}, 120_000);

const card = (id: string): Card => {
  const c = index.get(id);
  if (!c) throw new Error(`no card ${id}`);
  return c;
};
const render = (c: Card, maxChars: number) => {
  const fit = fitAnswer(kb, cardParts(c, kb), maxChars);
  return { ...fit, text: fit.segments.map((s) => s.text).join("") };
};

describe("a card as a reply", () => {
  it("fits every card into a group reply and a private reply, citing its first basis", () => {
    for (const c of index.cards) {
      for (const maxChars of [300, 800]) {
        const answer = render(c, maxChars);
        expect(answer.text.length, `${c.id} at ${maxChars}`).toBeLessThanOrEqual(maxChars);
        expect(answer.citations[0], c.id).toBe(c.citations[0]?.key);
      }
    }
  });

  it("starts with the conclusion and quotes the source exactly, labelled with its article", () => {
    const c = card("thrown-objects");
    const answer = render(c, 800);
    expect(answer.text.startsWith(c.conclusion)).toBe(true);
    const unit = kb.unit("civil-code-2020:1254");
    const source = unit ? unitText(unit).replace(/\n/g, "") : "";
    const quotes = answer.segments.filter((s) => s.verbatim).map((s) => s.text);
    expect(quotes.length).toBeGreaterThan(0);
    for (const q of quotes) expect(source).toContain(q);
    expect(answer.text).toContain("」——《中华人民共和国民法典》第一千二百五十四条");
    expect(answer.text).toContain("110");
  });

  it("drops later steps first, then extra bases, and points to 「详细」 for the rest", () => {
    const c = card("fee-cut-utilities");
    const full = render(c, 800);
    expect(full.fuller).toBeUndefined();
    expect(full.text).not.toContain(MORE_HINT);
    const [first, second] = c.next_steps ?? [];
    expect(second).toBeDefined();
    expect(full.text).toContain(second);

    let previousBases = Number.POSITIVE_INFINITY;
    for (const maxChars of [full.text.length - 1, 300, 220]) {
      const short = render(c, maxChars);
      expect(short.text.length).toBeLessThanOrEqual(maxChars);
      expect(short.fuller).toBeDefined();
      expect(short.text.startsWith(c.conclusion)).toBe(true);
      expect(short.text).not.toContain(second);
      expect(short.text).toContain(MORE_HINT);
      const bases = short.segments.filter((s) => s.verbatim).length;
      expect(bases).toBeLessThanOrEqual(previousBases);
      previousBases = bases;
      // The first basis is named while there is room for its label.
      expect(short.text).toContain("《中华人民共和国民法典》第九百四十四条");
    }
    expect(render(c, 300).text).toContain((first ?? "").slice(0, 10));
  });

  it("labels a plan section with its outline number and heading", () => {
    const answer = render(card("plan-overview"), 800);
    expect(answer.text).toContain("《平顶山市物业管理提升暨安全整治工作实施方案》二（二）");
    expect(answer.citations).toContain("pds-plan-2024:2.2");
  });
});
