import { describe, expect, it } from "vitest";
import { findGuide, formatGuide, GUIDES, GuideSchema } from "../../bot/procedures/guides.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

describe("guides data", () => {
  it("covers the six procedures and validates against the schema", () => {
    expect(GUIDES).toHaveLength(6);
    for (const g of GUIDES) expect(GuideSchema.safeParse(g).success).toBe(true);
    expect(new Set(GUIDES.map((g) => g.id)).size).toBe(GUIDES.length);
  });

  it("cites only articles that exist in the index", async () => {
    const kb = await shippedKnowledgeBase();
    const bad = GUIDES.flatMap((g) =>
      g.steps.flatMap((step) => [
        ...(step.cites.length === 0 ? [`${g.id}: a step without a citation`] : []),
        ...step.cites.filter((key) => !kb.unit(key)).map((key) => `${g.id}: ${key}`),
      ]),
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

describe("formatGuide", () => {
  const label = (key: string) => `〔${key}〕`;

  it("renders a title line and numbered steps with their citations, without Markdown", () => {
    for (const g of GUIDES) {
      const text = formatGuide(g, label);
      const lines = text.split("\n");
      expect(lines[0]).toBe(g.title);
      expect(lines).toHaveLength(g.steps.length + 1);
      g.steps.forEach((step, i) => {
        const line = lines[i + 1] ?? "";
        expect(line.startsWith(`${i + 1}. `)).toBe(true);
        expect(line.endsWith("】")).toBe(true);
        for (const key of step.cites) expect(line).toContain(label(key));
      });
      expect(text).not.toContain("**");
      expect(text).not.toContain("#");
      expect(text).not.toContain("|");
    }
  });

  it("uses the injected label function", () => {
    const g = findGuide("筹备组");
    expect(g).toBeDefined();
    if (!g) return;
    const text = formatGuide(g, (key) =>
      key === "henan-pmr-2017:20" ? "河南省物业管理条例第二十条" : key,
    );
    expect(text).toContain("【依据：河南省物业管理条例第二十条】");
  });
});
