import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_SOURCES_DIR } from "../../knowledge/knowledge-base.ts";
import { createExpander, loadLexicon } from "../../knowledge/lexicon.ts";
import { normalizeForSearch } from "../../knowledge/text-normalize.ts";

const lexicon = loadLexicon();
const corpus = readdirSync(DEFAULT_SOURCES_DIR)
  .map((f) => readFileSync(`${DEFAULT_SOURCES_DIR}/${f}`, "utf8"))
  .join("\n");

describe("the residents' thesaurus (reviewed data)", () => {
  it("maps only to words the sources actually use", () => {
    const absent = lexicon.thesaurus.flatMap((e) => e.formal).filter((f) => !corpus.includes(f));
    expect(absent).toEqual([]);
  });

  it("lists each resident word once", () => {
    const words = lexicon.thesaurus.flatMap((e) => e.resident.map(normalizeForSearch));
    const repeated = words.filter((w, i) => words.indexOf(w) !== i);
    expect(repeated).toEqual([]);
  });

  it.each([
    ["业委会到期不换届怎么办", "业主委员会"],
    ["维修基金能用来修电梯吗", "专项维修资金"],
    ["大修基金咋申请", "专项维修资金"],
    ["楼道里电瓶车充电", "电动自行车"],
    ["物业跑路了", "擅自撤离"],
    ["开发商不给配物业用房", "建设单位"],
    ["业为会主任不开会", "业主委员会"],
    [normalizeForSearch("業委會不公開賬目"), "业主委员会"],
  ])("expands %s to include %s", (query, formal) => {
    expect(createExpander(lexicon.thesaurus)(normalizeForSearch(query))).toContain(formal);
  });

  it("keeps domain words whole for the segmenter", () => {
    const words = new Set(lexicon.domainWords.map((l) => l.split(/\s+/)[0]));
    for (const w of ["业主委员会", "专项维修资金", "电动自行车", "物业服务企业"])
      expect(words).toContain(w);
  });
});
