import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadDataset } from "../eval/dataset.ts";
import { unitText } from "../knowledge/unit.ts";
import { shippedKnowledgeBase } from "./helpers/knowledge.ts";

const dir = new URL("../eval/datasets/", import.meta.url).pathname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".jsonl"))
  .map((f) => dir + f);
const dataset = loadDataset(files);

describe("our evaluation datasets", () => {
  it("has at least 150 answerable questions plus out-of-scope and adversarial ones", () => {
    const kinds = dataset.questions.map((q) => q.kind);
    expect(kinds.filter((k) => k === "answerable").length).toBeGreaterThanOrEqual(150);
    expect(kinds.filter((k) => k === "out_of_scope").length).toBeGreaterThanOrEqual(20);
    expect(kinds.filter((k) => k === "adversarial").length).toBeGreaterThanOrEqual(20);
  });

  it("uses unique ids", () => {
    const ids = [...dataset.questions, ...dataset.complaints].map((i) => i.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("cites only units that exist, and every fact is in a gold unit's text", async () => {
    const kb = await shippedKnowledgeBase();
    const problems: string[] = [];
    for (const q of dataset.questions) {
      for (const g of q.gold) if (!kb.unit(g)) problems.push(`${q.id}: no unit ${g}`);
      const texts = q.gold
        .map((g) => kb.unit(g))
        .filter((u) => u !== undefined)
        .map(unitText);
      for (const f of q.facts)
        if (!texts.some((t) => t.includes(f))) problems.push(`${q.id}: fact ${f}`);
    }
    for (const c of dataset.complaints) {
      for (const g of c.expected.legal_basis)
        if (!kb.unit(g)) problems.push(`${c.id}: no unit ${g}`);
    }
    expect(problems).toEqual([]);
  });

  it("covers every chapter of the Henan regulation and every part of the plan", async () => {
    const kb = await shippedKnowledgeBase();
    const gold = new Set(dataset.questions.flatMap((q) => q.gold));
    const chapters = new Set(
      [...gold].filter((k) => k.startsWith("henan-pmr-2017:")).map((k) => kb.unit(k)?.context[0]),
    );
    expect(chapters.size).toBe(9);
    for (const part of [
      "pds-plan-2024:0",
      "pds-plan-2024:1",
      "pds-plan-2024:2",
      "pds-plan-2024:3",
      "pds-plan-2024:4.",
    ]) {
      expect(
        [...gold].some((k) => k.startsWith(part)),
        part,
      ).toBe(true);
    }
    for (const doc of [
      "state-pmr-2018",
      "civil-code-2020",
      "spc-building-2020",
      "spc-service-2020",
      "henan-fire-2014",
      "pds-civility-2021",
    ]) {
      expect(
        [...gold].some((k) => k.startsWith(`${doc}:`)),
        doc,
      ).toBe(true);
    }
  });
});
