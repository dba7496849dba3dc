import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { conflictsFor, RULE_CONFLICTS } from "../../bot/conflicts.ts";
import { findGuide, formatGuide, GUIDES, GuideSchema } from "../../bot/procedures/guides.ts";
import {
  DEFAULT_SOURCES_DIR,
  type KnowledgeBase,
  openKnowledgeBase,
} from "../../knowledge/knowledge-base.ts";
import { FIXTURES, shippedKnowledgeBase } from "../helpers/knowledge.ts";

const NATIONAL = [
  "civil-code-2020.md",
  "state-pmr-2018.md",
  "spc-building-2020.md",
  "spc-service-2020.md",
];

/** Another province's folder: the national documents plus a demo provincial regulation. */
function otherProvince(): Promise<KnowledgeBase> {
  const dir = mkdtempSync(join(tmpdir(), "wuye-province-"));
  for (const f of NATIONAL) copyFileSync(join(DEFAULT_SOURCES_DIR, f), join(dir, f));
  copyFileSync(join(FIXTURES, "other-province", "demo-pmr.md"), join(dir, "demo-pmr.md"));
  return openKnowledgeBase({ sourcesDir: dir, indexDir: null });
}

const has = (kb: KnowledgeBase) => (key: string) => kb.unit(key) !== undefined;
const LOCAL_WORDS = /henan-|pds-|河南|平顶山/;

describe("guides data", () => {
  it("covers the six procedures and validates against the schema", () => {
    expect(GUIDES).toHaveLength(6);
    for (const g of GUIDES) expect(GuideSchema.safeParse(g).success).toBe(true);
    expect(new Set(GUIDES.map((g) => g.id)).size).toBe(GUIDES.length);
  });

  it("cites only articles that exist in the index", async () => {
    const kb = await shippedKnowledgeBase();
    const bad = GUIDES.flatMap((g) =>
      g.steps.flatMap((step) =>
        [...step.cites, ...(step.unless ?? [])]
          .filter((key) => !kb.unit(key))
          .map((key) => `${g.id}: ${key}`),
      ),
    );
    expect(bad).toEqual([]);
  });

  it("says the 民法典 prevails wherever it cites a differing Henan threshold", () => {
    const thresholdSteps = GUIDES.flatMap((g) => g.steps).filter(
      (s) =>
        (s.cites.includes("henan-pmr-2017:26") || s.cites.includes("henan-pmr-2017:66")) &&
        s.cites.includes("civil-code-2020:278"),
    );
    expect(thresholdSteps.length).toBeGreaterThanOrEqual(2);
    for (const s of thresholdSteps) expect(s.text).toContain("以民法典为准");
  });

  it("keeps the 民法典's split between using (过半数) and raising (四分之三) the fund", () => {
    const fund = GUIDES.find((g) => g.id === "maintenance-fund");
    const use = fund?.steps.find((s) => s.text.startsWith("使用维修资金"));
    const raise = fund?.steps.find((s) => s.text.startsWith("筹集维修资金"));
    expect(use?.text).toContain("过半数");
    expect(use?.text).not.toContain("四分之三");
    expect(raise?.text).toContain("四分之三以上");
  });

  it("backs a step that talks about Henan or Pingdingshan with a local unit", () => {
    const unbacked = GUIDES.flatMap((g) => g.steps).filter(
      (s) => /河南|平顶山/.test(s.text) && !s.cites.some((k) => /^(henan-|pds-)/.test(k)),
    );
    expect(unbacked.map((s) => s.text)).toEqual([]);
  });
});

describe("findGuide", () => {
  const cases: [string, string[]][] = [
    [
      "first-owners-assembly",
      [
        "我们小区想成立业委会，要找谁？",
        "第一次开业主大会需要什么条件",
        "筹备组里都有谁",
        "小区交房三年了还没有业主委员会，怎么成立业主大会",
      ],
    ],
    [
      "elect-owners-committee",
      ["我想竞选业委会委员，有什么条件", "业委会选举结果要去哪里备案", "怎么选业委会"],
    ],
    [
      "committee-renewal-recall",
      [
        "业委会任期到了怎么换届",
        "业主能不能罢免业委会主任",
        "业委会不作为，能不能把他们全换掉重新选业委会",
        "老业委会不交公章怎么办",
      ],
    ],
    [
      "hire-dismiss-property-company",
      [
        "我们想换物业，流程是什么",
        "怎么炒物业",
        "业主大会决定解聘物业公司，他们赖着不走",
        "物业服务太差了，想把物业公司换掉",
        "以经换物业了，原来那家去年收了我一整年的钱",
      ],
    ],
    [
      "maintenance-fund",
      ["电梯坏了能不能动用维修基金", "维修资金怎么用", "楼顶漏水申请专项维修资金要多少人签字"],
    ],
    [
      "assembly-vote-counting",
      ["业主大会投票怎么算", "要多少业主同意才算通过", "双过半是什么意思", "委托别人投票算不算"],
    ],
  ];

  for (const [id, phrasings] of cases) {
    for (const text of phrasings) {
      it(`opens ${id} for “${text}”`, () => {
        expect(findGuide(text)?.id).toBe(id);
      });
    }
  }

  it("returns undefined for unrelated sentences", () => {
    expect(findGuide("今天平顶山天气怎么样")).toBeUndefined();
    expect(findGuide("楼上装修太吵了")).toBeUndefined();
    expect(findGuide("")).toBeUndefined();
  });
});

describe("guides over the shipped sources", () => {
  let kb: KnowledgeBase;
  beforeAll(async () => {
    kb = await shippedKnowledgeBase();
  }, 120_000);

  it("renders a title line and numbered steps with readable citations, without Markdown", () => {
    for (const raw of GUIDES) {
      const g = findGuide(raw.triggers[0] ?? "", kb);
      expect(g, raw.id).toBeDefined();
      if (!g) continue;
      const text = formatGuide(g, (k) => kb.citation(k));
      const lines = text.split("\n");
      expect(lines[0]).toBe(g.title);
      expect(lines).toHaveLength(g.steps.length + 1);
      g.steps.forEach((step, i) => {
        const line = lines[i + 1] ?? "";
        expect(line.startsWith(`${i + 1}. ${step.text}【依据：`)).toBe(true);
        for (const key of step.cites) expect(line).toContain(kb.citation(key));
      });
      expect(text).not.toMatch(/\*\*|#|\||[a-z]+-[a-z]+-\d{4}:/);
    }
  });

  it("shows the Henan step, not its national stand-in, where Henan says more", () => {
    const g = findGuide("业委会选举结果要去哪里备案", kb);
    const text = g ? formatGuide(g, (k) => kb.citation(k)) : "";
    expect(text).toContain("《河南省物业管理条例》第二十九条");
    expect(text).not.toContain("区、县人民政府房地产行政主管部门和街道办事处、乡镇人民政府备案");
  });

  it("adds the Henan voting note to an answer citing 民法典第二百七十八条", () => {
    const notes = conflictsFor(["civil-code-2020:278"], has(kb));
    expect(notes).toHaveLength(1);
    expect(notes[0]?.note).toContain("应按民法典执行");
    for (const c of RULE_CONFLICTS)
      for (const k of [c.national, ...c.provincial]) expect(kb.unit(k), k).toBeDefined();
  });
});

describe("guides over another province's sources", () => {
  let kb: KnowledgeBase;
  beforeAll(async () => {
    kb = await otherProvince();
  }, 120_000);

  it("answers 怎么成立业委会 without a single Henan key or Henan rule", () => {
    expect(kb.unit("henan-pmr-2017:20")).toBeUndefined();
    const guide = findGuide("怎么成立业委会", kb);
    expect(guide?.id).toBe("first-owners-assembly");
    const text = guide ? formatGuide(guide, (k) => kb.citation(k)) : "";
    expect(text.split("\n").length).toBeGreaterThanOrEqual(3);
    expect(text).not.toMatch(LOCAL_WORDS);
    // Every citation printed is a label the loaded sources resolve.
    for (const m of text.matchAll(/【依据：([^】]*)】/g))
      for (const label of (m[1] ?? "").split("；")) expect(label).toMatch(/^《/);
    expect(text).toContain("《中华人民共和国民法典》第二百七十七条");
  });

  it("prints no missing key even when the guide is looked up without the knowledge base", () => {
    const guide = findGuide("怎么成立业委会");
    const text = guide ? formatGuide(guide, (k) => kb.citation(k)) : "";
    expect(text).not.toMatch(LOCAL_WORDS);
    expect(text).toContain("《中华人民共和国民法典》第二百七十七条");
  });

  it("keeps every guide to the steps the loaded sources support", () => {
    for (const raw of GUIDES) {
      const g = findGuide(raw.triggers[0] ?? "", kb);
      if (!g) continue;
      for (const s of g.steps) for (const k of s.cites) expect(kb.unit(k), k).toBeDefined();
      expect(formatGuide(g, (k) => kb.citation(k))).not.toMatch(LOCAL_WORDS);
    }
    // The national filing rule stands in for the Henan one here.
    const elect = findGuide("业委会选举结果要去哪里备案", kb);
    expect(elect?.steps.some((s) => s.cites.includes("state-pmr-2018:16"))).toBe(true);
  });

  it("does not offer a guide when none of its steps is supported", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wuye-demo-only-"));
    copyFileSync(join(FIXTURES, "other-province", "demo-pmr.md"), join(dir, "demo-pmr.md"));
    const demo = await openKnowledgeBase({ sourcesDir: dir, indexDir: null });
    expect(findGuide("怎么成立业委会", demo)).toBeUndefined();
    expect(findGuide("维修资金怎么用", demo)).toBeUndefined();
  }, 60_000);

  it("does not add the Henan voting note when Henan's regulation is not loaded", () => {
    expect(conflictsFor(["civil-code-2020:278"], has(kb))).toEqual([]);
  });
});

describe("formatGuide within a length limit", () => {
  it("lists only whole steps, each with its basis, when the guide is longer than the limit", async () => {
    const kb = await shippedKnowledgeBase();
    const g = findGuide("怎么成立业委会", kb);
    expect(g).toBeDefined();
    if (!g) return;
    const full = formatGuide(g, (k) => kb.citation(k));
    expect(full.length).toBeGreaterThan(600);
    const short = formatGuide(g, (k) => kb.citation(k), 600);
    expect(short.length).toBeLessThanOrEqual(600);
    const steps = short.split("\n").slice(1);
    expect(steps.length).toBeGreaterThanOrEqual(2);
    expect(steps.length).toBeLessThan(g.steps.length);
    steps.forEach((line, i) => {
      expect(line).toBe(full.split("\n")[i + 1]);
      expect(line).toMatch(/【依据：《[^】]+】$/);
    });
  });
});
