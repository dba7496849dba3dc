import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createCardIndex, loadCards, prepareCards } from "../../knowledge/cards.ts";
import { type KnowledgeBase, openKnowledgeBase } from "../../knowledge/knowledge-base.ts";
import { readYamlFile } from "../../knowledge/yaml-cache.ts";

const QUESTIONS = [
  "物业能不能停我家的水",
  "维修资金怎么用",
  "想成立业委会找谁",
  "楼上装修太吵了",
  "车位只租不卖合法吗",
];

// What a later start reads from beside the index must answer exactly as what the first start worked out.
describe("answer cards saved beside the knowledge index", () => {
  let indexDir: string;
  let kb: KnowledgeBase;
  beforeAll(async () => {
    indexDir = mkdtempSync(join(tmpdir(), "wuye-cards-cache-"));
    kb = await openKnowledgeBase({ indexDir });
  }, 120_000);

  it("match questions the same when read back as when first worked out", async () => {
    const first = createCardIndex(kb);
    expect(existsSync(join(indexDir, "cards.json"))).toBe(true);
    const again = await openKnowledgeBase({ indexDir });
    expect(again.built).toBe(false);
    const saved = createCardIndex(again);
    expect(saved.cards).toEqual(prepareCards(kb, loadCards()).cards);
    for (const q of QUESTIONS) {
      const { hits } = await kb.retriever.search(q, { limit: 10 });
      expect(saved.rank(q, 10)).toEqual(first.rank(q, 10));
      expect(saved.match(q, hits)).toEqual(first.match(q, hits));
    }
  });

  it("are worked out again when the saved file is not from this index", () => {
    const path = join(indexDir, "cards.json");
    createCardIndex(kb);
    const text = readFileSync(path, "utf8");
    // Same value, another index's key: a card of the other index must not be trusted.
    writeFileSync(path, text.replace(/^[^\n]*/, "another-index"));
    const index = createCardIndex(kb);
    expect(index.cards.length).toBeGreaterThan(0);
    expect(readFileSync(path, "utf8")).toBe(text);
  });
});

describe("reviewed YAML read through the parse cache", () => {
  it("gives what yaml gives, and the new value once the file is edited", () => {
    const dir = mkdtempSync(join(tmpdir(), "wuye-yaml-"));
    const file = join(dir, "guide.yaml");
    const first = `id: cache-test\nsteps:\n  - text: 先开会\n    cites: [henan-pmr-2017:10]\n`;
    writeFileSync(file, first);
    expect(readYamlFile(file)).toEqual(parse(first));
    expect(readYamlFile(file)).toEqual(parse(first));
    const edited = first.replace("先开会", "先投票");
    writeFileSync(file, edited);
    expect(readYamlFile(file)).toEqual(parse(edited));
  });

  it("reports a broken file as yaml does", () => {
    const dir = mkdtempSync(join(tmpdir(), "wuye-yaml-"));
    const file = join(dir, "broken.yaml");
    writeFileSync(file, "a: [1, 2\nb: c\n");
    expect(() => parse(readFileSync(file, "utf8"))).toThrow();
    expect(() => readYamlFile(file)).toThrow();
  });
});
