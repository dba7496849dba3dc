import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findGuide, formatGuide, GUIDES, GuideSchema } from "../../bot/procedures/guides.ts";

const SOURCES = join(import.meta.dirname, "..", "..", "knowledge", "sources");

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** 二百七十八 → 278, 十五 → 15, 一百零五 → 105. */
function chineseToInt(s: string): number {
  let total = 0;
  let digit = 0;
  for (const ch of s) {
    const d = DIGITS[ch];
    const u = UNITS[ch];
    if (d !== undefined) {
      digit = d;
    } else if (u !== undefined) {
      total += (digit === 0 ? 1 : digit) * u;
      digit = 0;
    } else {
      throw new Error(`not a Chinese numeral: ${s}`);
    }
  }
  return total + digit;
}

/** Citable units of a source file: article numbers, or outline paths for outline documents. */
function unitsOf(docId: string): Set<string> {
  const text = readFileSync(join(SOURCES, `${docId}.md`), "utf8");
  const body = text.replace(/^---\n[\s\S]*?\n---\n/, "");
  const lines = body.split("\n").map((l) => l.trim());
  const articles = new Set<string>();
  for (const line of lines) {
    const m = /^第([零〇一二两三四五六七八九十百千]+)条/.exec(line);
    if (m?.[1]) articles.add(String(chineseToInt(m[1])));
  }
  if (articles.size > 0) return articles;

  const outline = new Set<string>(["0"]);
  let top: number | undefined;
  for (const line of lines) {
    const t = /^([一二三四五六七八九十]+)、/.exec(line);
    if (t?.[1]) {
      top = chineseToInt(t[1]);
      outline.add(String(top));
      continue;
    }
    const s = /^[（(]([一二三四五六七八九十]+)[）)]/.exec(line);
    if (s?.[1] && top !== undefined) outline.add(`${top}.${chineseToInt(s[1])}`);
  }
  return outline;
}

describe("the citation helper", () => {
  it("converts Chinese numerals", () => {
    expect(chineseToInt("二百七十八")).toBe(278);
    expect(chineseToInt("十五")).toBe(15);
    expect(chineseToInt("九十五")).toBe(95);
    expect(chineseToInt("一百零五")).toBe(105);
    expect(chineseToInt("九百五十")).toBe(950);
    expect(chineseToInt("一千二百五十九")).toBe(1259);
  });

  it("finds articles and outline units", () => {
    expect(unitsOf("civil-code-2020").has("278")).toBe(true);
    expect(unitsOf("civil-code-2020").has("1259")).toBe(false);
    expect(unitsOf("henan-pmr-2017").size).toBe(95);
    const plan = unitsOf("pds-plan-2024");
    expect(plan.has("2.6")).toBe(true);
    expect(plan.has("3")).toBe(true);
    expect(plan.has("2.7")).toBe(false);
  });
});

describe("guides data", () => {
  it("covers the six procedures and validates against the schema", () => {
    expect(GUIDES).toHaveLength(6);
    for (const g of GUIDES) expect(GuideSchema.safeParse(g).success).toBe(true);
    expect(new Set(GUIDES.map((g) => g.id)).size).toBe(GUIDES.length);
  });

  it("cites only articles that exist in the sources", () => {
    const cache = new Map<string, Set<string>>();
    const bad: string[] = [];
    for (const g of GUIDES) {
      for (const step of g.steps) {
        expect(step.cites.length).toBeGreaterThan(0);
        for (const key of step.cites) {
          const [doc, unit] = key.split(":");
          if (!doc || !unit || !existsSync(join(SOURCES, `${doc}.md`))) {
            bad.push(`${g.id}: ${key}`);
            continue;
          }
          let units = cache.get(doc);
          if (!units) {
            units = unitsOf(doc);
            cache.set(doc, units);
          }
          if (!units.has(unit)) bad.push(`${g.id}: ${key}`);
        }
      }
    }
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
