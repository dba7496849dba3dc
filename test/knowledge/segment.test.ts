import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_SOURCES_DIR } from "../../knowledge/knowledge-base.ts";
import { segmentSource } from "../../knowledge/segment.ts";
import { parseSourceFile } from "../../knowledge/source-file.ts";
import { unitText } from "../../knowledge/unit.ts";

const load = (id: string) =>
  segmentSource(
    parseSourceFile(`${id}.md`, readFileSync(`${DEFAULT_SOURCES_DIR}/${id}.md`, "utf8")),
  );

describe("segmenting the shipped sources into citable units", () => {
  it.each([
    ["henan-pmr-2017", 95],
    ["state-pmr-2018", 67],
    ["civil-code-2020", 47],
    ["henan-fire-2014", 75],
    ["pds-civility-2021", 40],
    ["spc-building-2020", 19],
    ["spc-service-2020", 5],
  ])("%s has %i articles, numbered without gaps or repeats", (id, count) => {
    const doc = load(id);
    expect(doc.units).toHaveLength(count);
    expect(new Set(doc.units.map((u) => u.key)).size).toBe(count);
  });

  it("keys 民法典 articles by their own numbers (excerpted, not renumbered)", () => {
    const keys = load("civil-code-2020").units.map((u) => u.key);
    expect(keys).toContain("civil-code-2020:944");
    expect(keys).toContain("civil-code-2020:278");
    expect(keys).not.toContain("civil-code-2020:1");
  });

  it("takes in 民法典's 相邻关系 and 建筑物和物件损害责任 chapters, with their titles", () => {
    const units = load("civil-code-2020").units;
    const numbers = units.map((u) => Number(u.number));
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    expect(numbers).toEqual([...range(271, 296), ...range(937, 950), ...range(1252, 1258)]);
    const unit = (n: number) => units.find((u) => u.number === String(n));
    expect(unit(290)?.context).toEqual(["第七章 相邻关系"]);
    expect(unit(1254)?.context).toEqual(["第十章 建筑物和物件损害责任"]);
    expect(unit(1254)?.label).toBe("第一千二百五十四条");
    // 禁止从建筑物中抛掷物品 has three 款: the ban, the manager's duty, the police inquiry.
    expect(unit(1254)?.clauses).toHaveLength(3);
    expect(unit(1258)?.clauses.at(-1)?.text).toMatch(/^窨井/);
  });

  it("splits the city plan into the outline sections of CONTRACTS §2", () => {
    const numbers = load("pds-plan-2024").units.map((u) => u.number);
    expect(numbers).toEqual([
      "0",
      "1",
      "2",
      "2.1",
      "2.2",
      "2.3",
      "2.4",
      "2.5",
      "2.6",
      "3",
      "3.1",
      "3.2",
      "3.3",
      "4.1",
      "4.2",
      "4.3",
      "4.4",
    ]);
  });

  it("drops the website chrome before the plan but keeps its 文号 and preamble", () => {
    const preamble = unitText(load("pds-plan-2024").units[0] ?? ({} as never));
    expect(preamble).not.toContain("欢迎光临");
    expect(preamble).not.toContain("IPv6");
    expect(preamble).toContain("平物管〔2024〕2号");
    expect(preamble).toContain("为进一步规范全市物业管理活动");
  });

  it("files the plan's （三） section under 二、实施内容 with its own heading", () => {
    const unit = load("pds-plan-2024").units.find((u) => u.number === "2.3");
    expect(unit?.context).toEqual(["二、实施内容"]);
    expect(unit?.heading).toBe("(三)开展物业管理区域安全隐患整治专项行动");
    expect(unitText(unit ?? ({} as never))).toContain("飞线充电");
  });

  it("recovers the Henan chapter 2 heading that lost its 第二章 prefix", () => {
    const doc = load("henan-pmr-2017");
    const art11 = doc.units.find((u) => u.number === "11");
    const art15 = doc.units.find((u) => u.number === "15");
    expect(art11?.context).toEqual(["第二章 物业管理区域及设施"]);
    expect(art15?.context[0]).toMatch(/^第三章/);
  });

  it("keeps 款 and their 项 as sub-structure, losing no line of the article", () => {
    const art11 = load("henan-pmr-2017").units.find((u) => u.number === "11");
    expect(art11?.clauses).toHaveLength(2);
    expect(art11?.clauses[1]?.items).toHaveLength(2);
    expect(art11?.clauses[1]?.items[0]).toMatch(/^（一）两万平方米以下的/);
    const source = readFileSync(`${DEFAULT_SOURCES_DIR}/henan-pmr-2017.md`, "utf8");
    for (const line of unitText(art11 ?? ({} as never)).split("\n")) {
      expect(source).toContain(line);
    }
  });

  it("loses no body line of any regulation", () => {
    for (const id of ["henan-pmr-2017", "state-pmr-2018", "henan-fire-2014", "civil-code-2020"]) {
      const text = load(id)
        .units.map((u) => `${u.label} ${unitText(u)}`)
        .join("\n");
      const source =
        readFileSync(`${DEFAULT_SOURCES_DIR}/${id}.md`, "utf8").split("---\n")[2] ?? "";
      const lost = source
        .split("\n")
        .map((l) => l.trim().replace(/^第[一二三四五六七八九十百零]+条\s*/, ""))
        .filter((l) => l !== "" && !l.startsWith("#") && !/^第.{1,4}章/.test(l))
        .filter((l) => !text.includes(l));
      // Only headings (chapter titles, the document title, a preamble) may be absent.
      expect(
        lost.every((l) => l.length <= 25 || !/第.+条/.test(l)),
        `${id}: ${lost.join(" / ")}`,
      ).toBe(true);
    }
  });
});
