/**
 * What a resident sees from the embedded (offline) answerer: which article
 * applies, quoted exactly, with a citation line and the disclaimer; their own
 * script; follow-ups; 「全文」; exact references; procedures; the vote
 * calculator; the 河南条例/民法典 conflict note; and odd messages.
 *
 * Expected facts come from the law text (via the knowledge index) or are
 * computed here from the figures in the question, not copied from bot/.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../../bot/engine.ts";
import type { Reply } from "../../bot/message.ts";
import type { KnowledgeBase } from "../../knowledge/knowledge-base.ts";
import { unitText } from "../../knowledge/unit.ts";
import {
  DISCLAIMER_ANYWHERE,
  DISCLAIMER_END,
  hasPhoneNumber,
  markdownIn,
  privateMessage,
  quotedFragments,
  squeeze,
} from "../helpers/engine-support.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

let kb: KnowledgeBase;
let engine: Engine;

beforeAll(async () => {
  kb = await shippedKnowledgeBase();
  engine = createEngine({ knowledge: kb });
});

const WATER = "物业能因为我欠费停我家的水吗";
const WATER_TRADITIONAL = "物業能因為我欠費停我家的水嗎";
/** How the Civil Code's article 944 is named (the code's title and the article in Chinese numerals). */
const ARTICLE_944 = "《中华人民共和国民法典》第九百四十四条";
/** 民法典第九百四十四条, effective 2021-01-01 (the date the Civil Code took effect): the 全文 reply's line. */
const LINE_944 = "依据：《中华人民共和国民法典》第九百四十四条（2021年1月1日起施行）";

function never(): never {
  throw new Error("a unit the test relies on is missing from the index");
}

/** Every citation of a reply must be a unit of the index. */
function expectKnownCitations(reply: Reply): void {
  expect(reply.citations.filter((k) => kb.unit(k) === undefined)).toEqual([]);
}

/** Keys of all units whose published text contains every one of the given strings. */
function unitsContaining(...needles: string[]): string[] {
  return kb.documents
    .flatMap((d) => d.units)
    .filter((u) => needles.every((n) => unitText(u).includes(n)))
    .map((u) => u.key);
}

describe("an everyday question (欠费停水)", () => {
  it("leads with 不能 and 民法典第九百四十四条, quotes the sources verbatim under 依据 and ends with the disclaimer", async () => {
    const reply = await engine.handle(privateMessage(WATER));
    expect(reply.kind).toBe("answer");
    expect(reply.citations).toContain("civil-code-2020:944");
    expectKnownCitations(reply);
    const lines = reply.text.split("\n");
    // 第九百四十四条 forbids cutting the water to collect fees: the first word is the answer.
    expect(unitText(kb.unit("civil-code-2020:944") ?? never())).toContain("不得采取停止供电、供水");
    expect(lines[0]).toMatch(/^不能/);
    expect(reply.text).toContain(ARTICLE_944);
    // The sentence of article 944 that answers the question, as published.
    expect(reply.text).toContain("停止供电、供水");
    // Every quotation is the published text of a unit the reply cites.
    const cited = reply.citations.map((k) => squeeze(unitText(kb.unit(k) ?? never())));
    const fragments = quotedFragments(reply.text);
    expect(fragments.length).toBeGreaterThan(0);
    for (const f of fragments)
      expect(
        cited.some((t) => t.includes(squeeze(f))),
        f,
      ).toBe(true);
    // 依据: at most three bases, each a quotation followed by the article it comes from.
    const basesAt = lines.indexOf("依据：");
    expect(basesAt).toBeGreaterThan(0);
    const bases = lines.slice(basesAt + 1).filter((l) => l.startsWith("「"));
    expect(bases.length).toBeGreaterThan(0);
    expect(bases.length).toBeLessThanOrEqual(3);
    const labels = reply.citations.map((k) => kb.citation(k));
    for (const b of bases)
      expect(
        labels.some((l) => b.endsWith(`」——${l}`)),
        b,
      ).toBe(true);
    // The old opening and the dated citation lines are gone.
    expect(reply.text).not.toMatch(/这个问题主要适用|起施行）/);
    expect(reply.text).toContain("（仅供参考，不构成法律意见。）");
    expect(reply.text.length).toBeLessThanOrEqual(800);
    expect(markdownIn(reply.text)).toEqual([]);
  });

  it("answers a question in Traditional characters in Traditional, citing the same article", async () => {
    const simplified = await engine.handle(privateMessage(WATER));
    const reply = await engine.handle(privateMessage(WATER_TRADITIONAL));
    expect(reply.kind).toBe("answer");
    expect(reply.citations).toContain("civil-code-2020:944");
    expect(reply.citations).toEqual(simplified.citations);
    // The bot's own words follow the resident's script…
    expect(reply.text).toContain("依據");
    expect(reply.text).toContain("第九百四十四條");
    expect(reply.text).not.toContain("依据：");
    expect(reply.text).toContain("不構成法律意見");
    // …while the statute is still quoted exactly as published.
    expect(reply.text).toContain("停止供电、供水");
    expect(markdownIn(reply.text)).toEqual([]);
  });
});

describe("a conversation", () => {
  it("reads a short follow-up (那业委会呢？) together with the question about 业主大会 duties", async () => {
    // The units whose text lists the duties of the owners' committee (河南条例第三十条, 国务院条例第十五条).
    const committeeDuties = unitsContaining("业主委员会", "履行下列职责");
    expect(committeeDuties.length).toBeGreaterThan(0);

    const conversation = "follow-up-committee";
    const first = await engine.handle(privateMessage("业主大会有哪些职责", { conversation }));
    expect(first.kind).toBe("answer");
    const followUp = await engine.handle(privateMessage("那业委会呢？", { conversation }));
    expect(followUp.kind).toBe("answer");
    expectKnownCitations(followUp);
    expect(followUp.citations.some((k) => committeeDuties.includes(k))).toBe(true);
  });

  it("reads 那停电呢？ after the 停水 question as the same question about electricity", async () => {
    // 民法典第九百四十四条 is the article that names 停止供电.
    expect(unitsContaining("停止供电")).toContain("civil-code-2020:944");
    const conversation = "follow-up-power";
    await engine.handle(privateMessage(WATER, { conversation }));
    const followUp = await engine.handle(privateMessage("那停电呢？", { conversation }));
    expect(followUp.kind).toBe("answer");
    expect(followUp.citations).toContain("civil-code-2020:944");
    expectKnownCitations(followUp);
  });

  it("sends the full text of the articles just cited when the resident replies 全文", async () => {
    const conversation = "full-text";
    const answer = await engine.handle(privateMessage(WATER, { conversation }));
    const full = await engine.handle(privateMessage("全文", { conversation }));
    expect(full.kind).toBe("answer");
    expect(full.citations).toEqual(answer.citations);
    for (const key of full.citations) {
      const unit = kb.unit(key);
      expect(unit, key).toBeDefined();
      for (const clause of unit?.clauses ?? []) {
        expect(full.text).toContain(clause.text);
        for (const item of clause.items) expect(full.text).toContain(item);
      }
    }
    // Every sentence of article 944, not just the one quoted in the answer.
    expect(full.text).toContain("业主应当按照约定向物业服务人支付物业费");
    expect(full.text.split("\n")).toContain(LINE_944);
    expect(full.text).toMatch(DISCLAIMER_END);
  });
});

describe("exact references", () => {
  it("answers 河南条例第38条 with that article first, quoting it", async () => {
    const reply = await engine.handle(privateMessage("河南条例第38条"));
    expect(reply.kind).toBe("answer");
    expect(reply.citations[0]).toBe("henan-pmr-2017:38");
    const first = kb.unit("henan-pmr-2017:38")?.clauses[0]?.text ?? "";
    expect(first.length).toBeGreaterThan(10);
    expect(reply.text).toContain(first.slice(0, 20));
    expect(reply.text).toContain("第三十八条");
  });

  it("says 河南条例第一百二十条 does not exist and cites nothing", async () => {
    // The regulation ends well before article 120.
    expect(kb.unit("henan-pmr-2017:120")).toBeUndefined();
    const reply = await engine.handle(privateMessage("河南条例第一百二十条"));
    expect(reply.citations).toEqual([]);
    expect(["clarify", "out_of_scope"]).toContain(reply.kind);
    expect(reply.text).toContain("河南省物业管理条例");
    expect(reply.text).toMatch(/没有|不存在/);
    expect(reply.text).not.toContain("依据：");
  });
});

describe("procedures and votes", () => {
  it("lays out 成立业主大会 as numbered steps, each shown with its legal basis, within 800 characters; 详细 sends them all", async () => {
    const conversation = "procedure-first-assembly";
    const stepsOf = (text: string) => text.split("\n").filter((l) => /^\d+[.、．]/.test(l));
    const expectSteps = (steps: string[]) =>
      steps.forEach((step, i) => {
        expect(step.startsWith(`${i + 1}`), step).toBe(true);
        // A step shown without its article (or cut off mid-sentence) is not a step a resident can rely on.
        expect(step, step).toMatch(/【依据：《[^》]+》[^】]+】$/);
      });

    const reply = await engine.handle(
      privateMessage("第一次开业主大会怎么成立，流程是啥", { conversation }),
    );
    expect(reply.kind).toBe("procedure");
    expectKnownCitations(reply);
    expect(reply.text.length).toBeLessThanOrEqual(800);
    const steps = stepsOf(reply.text);
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expectSteps(steps);
    // The articles on the first owners' assembly are among the sources.
    const firstAssembly = unitsContaining("首次业主大会");
    expect(reply.citations.some((k) => firstAssembly.includes(k))).toBe(true);
    expect(markdownIn(reply.text)).toEqual([]);
    expect(reply.text).toMatch(DISCLAIMER_ANYWHERE);

    const more = await engine.handle(privateMessage("详细", { conversation }));
    const all = stepsOf(more.text);
    expect(all.length).toBeGreaterThanOrEqual(steps.length);
    expectSteps(all);
    // Shortened, the first reply says how to get the rest.
    if (all.length > steps.length) expect(reply.text).toContain("「详细」");
    expect(more.text).toMatch(DISCLAIMER_ANYWHERE);
  });

  const pct = (part: number, whole: number) => `${((part / whole) * 100).toFixed(2)}%`;

  it("does the arithmetic of a vote under 民法典第二百七十八条 (passes)", async () => {
    const reply = await engine.handle(
      privateMessage(
        "小区总面积12万平，一共860户，参加投票的有600户、面积9万平，同意的450户、7万平，要用维修基金修电梯",
      ),
    );
    expect(reply.citations).toEqual(["civil-code-2020:278"]);
    expect(reply.text).toContain(pct(90_000, 120_000));
    expect(reply.text).toContain(pct(600, 860));
    expect(reply.text).toContain(pct(70_000, 90_000));
    expect(reply.text).toContain(pct(450, 600));
    // Using (not raising) the fund is item (五): participation ≥ 2/3 of area and owners,
    // then more than half of those taking part; 600/860 ≥ 2/3 and 450/600 > 1/2.
    expect(reply.text).toContain("第二百七十八条");
    expect(reply.text).toMatch(/通过/);
    expect(reply.text).not.toMatch(/未通过|不通过/);
    expect(markdownIn(reply.text)).toEqual([]);
    // A verdict on a vote is still guidance, not legal advice.
    expect(reply.text).toMatch(DISCLAIMER_ANYWHERE);
  });

  it("says a vote fails when too few owners took part", async () => {
    const reply = await engine.handle(
      privateMessage(
        "小区总面积12万平，一共860户，参加投票的有500户、面积9万平，同意的450户、8万平，要选聘新物业",
      ),
    );
    expect(reply.citations).toEqual(["civil-code-2020:278"]);
    // 500 of 860 is 58.14%, below the two thirds 民法典第二百七十八条 requires to take part.
    expect(500 / 860).toBeLessThan(2 / 3);
    expect(reply.text).toContain(pct(500, 860));
    expect(reply.text).toMatch(/未通过|不通过|没有通过/);
  });

  it.each([
    "河南条例第二十六条说业主大会过半数业主参加就有效，现在还算数吗",
    "河南条例第二十二条规定的表决比例还算数吗",
  ])("says 民法典 prevails over the 河南条例 voting thresholds: %s", async (question) => {
    const reply = await engine.handle(privateMessage(question));
    expect(["answer", "procedure"]).toContain(reply.kind);
    expect(reply.citations).toContain("civil-code-2020:278");
    expect(
      reply.citations.some((k) => k === "henan-pmr-2017:26" || k === "henan-pmr-2017:22"),
    ).toBe(true);
    expect(reply.text).toContain("民法典");
    expect(reply.text).toMatch(/以民法典为准|按民法典执行|效力高于/);
  });
});

describe("odd messages get a calm reply, never an exception", () => {
  const calm = (reply: Reply) => {
    expect(reply.text.trim().length).toBeGreaterThan(0);
    expect(reply.text).not.toMatch(/Error|undefined|null|NaN|\bat \w+ \(/);
    expect(reply.citations).toEqual([]);
    expect(hasPhoneNumber(reply.text)).toBe(false);
    expect(markdownIn(reply.text)).toEqual([]);
  };

  it.each([
    ["empty text", ""],
    ["white space only", " \n\t　 "],
    ["punctuation only", "？？？"],
    ["zero-width characters only", "\u200b\u200b\ufeff"],
  ])("%s: asks for a question in words", async (_label, text) => {
    const reply = await engine.handle(privateMessage(text));
    expect(reply.kind).toBe("clarify");
    calm(reply);
  });

  it("a 5,000-character message: answers the beginning and says it did", async () => {
    const text = `${WATER}？`.repeat(400).slice(0, 5000);
    expect(text).toHaveLength(5000);
    const reply = await engine.handle(privateMessage(text));
    expect(reply.kind).toBe("answer");
    expect(reply.truncated).toBe(true);
    expect(reply.text).toMatch(/较长|太长|过长/);
    expect(reply.citations).toContain("civil-code-2020:944");
    expect(reply.text.length).toBeLessThan(3000);
  });

  it("a 5,000-character message of nonsense does not throw", async () => {
    const reply = await engine.handle(privateMessage("啊".repeat(5000)));
    expect(["clarify", "out_of_scope"]).toContain(reply.kind);
    calm(reply);
  });

  it.each([
    ["an image", { kind: "image" as const, ref: "file-123" }],
    ["a sticker", { kind: "sticker" as const }],
    ["a voice message", { kind: "voice" as const, ref: "voice-1" }],
  ])("%s without text: says only text can be read", async (_label, attachment) => {
    const reply = await engine.handle(privateMessage("", { attachment }));
    expect(reply.kind).toBe("unsupported");
    calm(reply);
  });

  it("a message that is not even well-formed gets a calm reply", async () => {
    const reply = await engine.handle({
      platform: "",
      conversationId: "",
      chatType: "private",
      senderId: "",
      text: WATER,
    });
    expect(["clarify", "unsupported"]).toContain(reply.kind);
    calm(reply);
  });
});
