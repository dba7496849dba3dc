import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Card,
  type CardIndex,
  checkCards,
  createCardIndex,
  loadCards,
  normalizeQuote,
} from "../../knowledge/cards.ts";
import {
  DEFAULT_SOURCES_DIR,
  type KnowledgeBase,
  openKnowledgeBase,
} from "../../knowledge/knowledge-base.ts";
import { unitText } from "../../knowledge/unit.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

const NATIONAL = [
  "civil-code-2020.md",
  "state-pmr-2018.md",
  "spc-building-2020.md",
  "spc-service-2020.md",
];

/** A sources folder holding only the national documents, as another province would start from. */
function nationalOnly(): Promise<KnowledgeBase> {
  const dir = mkdtempSync(join(tmpdir(), "wuye-national-"));
  for (const f of NATIONAL) copyFileSync(join(DEFAULT_SOURCES_DIR, f), join(dir, f));
  return openKnowledgeBase({ sourcesDir: dir, indexDir: null });
}

const cards = loadCards();

describe("answer card data", () => {
  it("has cards for every topic residents ask about", () => {
    const topics = new Set(cards.map((c) => c.topic));
    for (const t of [
      "governance",
      "fees",
      "maintenance-fund",
      "safety",
      "handover",
      "parking",
      "decoration",
      "neighbours",
      "plan",
    ])
      expect(topics).toContain(t);
    expect(cards.length).toBeGreaterThanOrEqual(60);
  });

  it("gives every card a conclusion, at least four question variants and at most three bases", () => {
    const bad = cards.filter(
      (c) =>
        c.conclusion.trim().length < 10 ||
        c.questions.length < 4 ||
        new Set(c.questions).size !== c.questions.length ||
        c.citations.length === 0 ||
        c.citations.length > 3,
    );
    expect(bad.map((c) => c.id)).toEqual([]);
  });

  it("quotes one sentence per basis", () => {
    const multi = cards.flatMap((c) =>
      c.citations.filter((q) => /[。！？]./.test(q.quote)).map((q) => `${c.id} ${q.key}`),
    );
    expect(multi).toEqual([]);
  });

  it("names only cards that exist as replacements", () => {
    const ids = new Set(cards.map((c) => c.id));
    const dangling = cards.flatMap((c) => (c.replaced_by ?? []).filter((id) => !ids.has(id)));
    expect(dangling).toEqual([]);
  });
});

describe("answer cards over the shipped sources", () => {
  let kb: KnowledgeBase;
  let index: CardIndex;
  beforeAll(async () => {
    kb = await shippedKnowledgeBase();
    index = createCardIndex(kb);
  }, 120_000);

  it("finds every quote word for word in the unit it cites", () => {
    const missing: string[] = [];
    for (const card of cards) {
      for (const c of card.citations) {
        const unit = kb.unit(c.key);
        if (!unit) missing.push(`${card.id}: ${c.key} does not exist`);
        else if (!normalizeQuote(unitText(unit)).includes(normalizeQuote(c.quote)))
          missing.push(`${card.id}: quote not in ${c.key}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checkCards(cards, kb).problems).toEqual([]);
  });

  it("names a province or city only on cards that need a source from there", () => {
    const unsupported = cards.flatMap((card) => {
      const text = [card.conclusion, ...(card.conditions ?? []), ...(card.next_steps ?? [])].join(
        "",
      );
      const places = (["河南", "平顶山"] as const).filter((p) => text.includes(p));
      const required = card.citations
        .filter((c) => !c.optional)
        .map((c) => kb.document(c.key.split(":")[0] ?? "")?.jurisdiction ?? "");
      return places
        .filter((p) => !required.some((j) => j.includes(p)))
        .map((p) => `${card.id}: ${p}`);
    });
    expect(unsupported).toEqual([]);
  });

  it("shows the quote exactly as the source prints it", () => {
    for (const card of index.cards) {
      for (const c of card.citations) {
        const unit = kb.unit(c.key);
        expect(unit && unitText(unit).replace(/\s*\n\s*/g, "")).toContain(c.quote);
      }
    }
  });

  it("covers every chapter of the Henan regulation and every section of the city plan", () => {
    const cited = new Set(index.cards.flatMap((c) => c.citations.map((q) => q.key)));
    const doc = (id: string) => kb.documents.find((d) => d.meta.id === id);
    const chapters = new Map<string, boolean>();
    for (const u of doc("henan-pmr-2017")?.units ?? []) {
      const chapter = u.context[0] ?? "";
      chapters.set(chapter, (chapters.get(chapter) ?? false) || cited.has(u.key));
    }
    expect(chapters.size).toBeGreaterThanOrEqual(9);
    expect([...chapters].filter(([, covered]) => !covered).map(([c]) => c)).toEqual([]);
    const plan = doc("pds-plan-2024")?.units ?? [];
    expect(plan.length).toBeGreaterThan(10);
    expect(plan.filter((u) => !cited.has(u.key)).map((u) => u.key)).toEqual([]);
  });

  it("uses the Henan cards in Pingdingshan and keeps their national stand-ins back", () => {
    const ids = new Set(index.cards.map((c) => c.id));
    expect(ids).toContain("committee-formation");
    expect(ids).not.toContain("committee-formation-national");
    expect(index.cards.length).toBe(cards.filter((c) => !c.replaced_by).length);
  });

  // Questions in residents' words, phrased differently from every card variant.
  const residentQuestions: [string, string][] = [
    ["邻居在楼道里给电动车充电", "ebike-hallway-charging"],
    ["开发商的车位只卖不租合法吗", "parking-sale-rent-rules"],
    ["物业不让装修材料进小区，非要买他们的", "decoration-forced-purchase"],
    ["楼上漏水把我家墙泡了", "neighbour-water-leak"],
    ["市里这回搞的物业专项整治都管哪些事", "plan-overview"],
    ["解聘以后老物业赖着不走", "property-refuses-to-leave"],
    ["电梯里的广告收入归谁", "common-income"],
    ["业委会主任以权谋私能罢免吗", "committee-recall"],
    ["高空抛物找不到人谁赔", "thrown-objects"],
    ["物业费涨价要经过业主同意吗", "fee-increase"],
  ];
  for (const [question, id] of residentQuestions) {
    it(`answers “${question}” with ${id}`, async () => {
      const variants = index.get(id)?.questions ?? [];
      expect(variants).not.toContain(question);
      expect((await index.lookup(question))?.card.id).toBe(id);
    });
  }

  it("gives no card to questions about something else", async () => {
    for (const q of [
      "今天天气怎么样",
      "帮我推荐一家火锅店",
      "写一首关于春天的诗",
      "股票明天会涨吗",
      "高铁票怎么退",
    ]) {
      expect(await index.lookup(q), q).toBeUndefined();
      expect(index.match(q), q).toBeUndefined();
    }
  });

  it("needs the retriever to agree before a loosely worded question gets a card", () => {
    const question = "高空抛物找不到人谁赔";
    const top = index.rank(question, 1)[0];
    expect(top?.card.id).toBe("thrown-objects");
    // The same similarity with retrieval pointing elsewhere is not enough.
    if (top && top.score < 0.6) {
      expect(index.match(question, [{ key: "henan-pmr-2017:48" }])).toBeUndefined();
    }
    expect(index.match(question, [{ key: "civil-code-2020:1254" }])?.card.id).toBe(
      "thrown-objects",
    );
  });
});

describe("answer cards over another province's sources", () => {
  let kb: KnowledgeBase;
  let index: CardIndex;
  beforeAll(async () => {
    kb = await nationalOnly();
    index = createCardIndex(kb);
  }, 120_000);

  const citesOnlyLoaded = (card: Card) => card.citations.every((c) => kb.unit(c.key));

  it("leaves out every card that relies on a unit not loaded", () => {
    expect(kb.unit("henan-pmr-2017:48")).toBeUndefined();
    expect(index.cards.length).toBeGreaterThan(10);
    expect(index.cards.filter((c) => !citesOnlyLoaded(c)).map((c) => c.id)).toEqual([]);
    const ids = new Set(index.cards.map((c) => c.id));
    expect(ids).not.toContain("fee-increase");
    expect(ids).not.toContain("ebike-hallway-charging");
    // Optional local citations drop out; the card still answers.
    const cut = index.get("fee-cut-utilities");
    expect(cut?.citations.map((c) => c.key)).toEqual(["civil-code-2020:944"]);
  });

  it("never returns a card citing a missing unit, whatever is asked", async () => {
    for (const card of cards) {
      for (const q of card.questions.slice(0, 3)) {
        const match = await index.lookup(q);
        if (match) expect(citesOnlyLoaded(match.card), `${q} → ${match.card.id}`).toBe(true);
      }
    }
  });

  it("answers with the national stand-in where the local card is missing", async () => {
    expect((await index.lookup("物业突然涨物业费，合法吗"))?.card.id).toBe("fee-increase-national");
    expect((await index.lookup("高空抛物找不到人谁赔"))?.card.id).toBe("thrown-objects");
  });
});
