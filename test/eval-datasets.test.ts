import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Dataset, loadDataset } from "../eval/dataset.ts";
import { unitText } from "../knowledge/unit.ts";
import { shippedKnowledgeBase } from "./helpers/knowledge.ts";

const root = new URL("../eval/datasets/", import.meta.url).pathname;
const part = (name: string) => {
  const dir = `${root}${name}/`;
  return loadDataset(
    readdirSync(dir)
      .filter((f) => f.endsWith(".jsonl"))
      .map((f) => dir + f),
  );
};
const tuning = part("tuning");
const heldout = part("heldout");
const parts: [string, Dataset][] = [
  ["tuning", tuning],
  ["heldout", heldout],
];

const count = (d: Dataset, kind: string) => d.questions.filter((q) => q.kind === kind).length;

/** Keys of a dialogue's expectations, with what a turn sends, so behaviour coverage can be counted. */
const turnsOf = (d: Dataset) =>
  d.dialogues.flatMap((x) => x.turns.map((t) => ({ chat: x.chat, ...t })));

describe("our evaluation datasets", () => {
  it("keeps held-out items apart from tuning items", () => {
    expect(readdirSync(root).filter((f) => f.endsWith(".jsonl"))).toEqual([]);
    const tuningIds = new Set(tuning.fileOf.keys());
    expect([...heldout.fileOf.keys()].filter((id) => tuningIds.has(id))).toEqual([]);
    const tuningTexts = new Set([
      ...tuning.questions.map((q) => q.question),
      ...tuning.dialogues.flatMap((d) => d.turns.map((t) => t.text)),
    ]);
    const shared = heldout.questions.filter((q) => tuningTexts.has(q.question)).map((q) => q.id);
    expect(shared).toEqual([]);
  });

  it("has a tuning part of at least 150 answerable questions, 80 complaints and 80 dialogues", () => {
    expect(count(tuning, "answerable")).toBeGreaterThanOrEqual(150);
    expect(count(tuning, "out_of_scope")).toBeGreaterThanOrEqual(20);
    expect(count(tuning, "adversarial")).toBeGreaterThanOrEqual(20);
    expect(tuning.complaints.length).toBeGreaterThanOrEqual(60);
    expect(tuning.dialogues.length).toBeGreaterThanOrEqual(80);
  });

  it("has a held-out part of at least 120 questions, 60 complaints and 40 dialogues", () => {
    expect(heldout.questions.length).toBeGreaterThanOrEqual(120);
    expect(count(heldout, "answerable")).toBeGreaterThanOrEqual(90);
    expect(count(heldout, "out_of_scope")).toBeGreaterThanOrEqual(15);
    expect(count(heldout, "adversarial")).toBeGreaterThanOrEqual(15);
    expect(heldout.complaints.length).toBeGreaterThanOrEqual(60);
    expect(heldout.dialogues.length).toBeGreaterThanOrEqual(40);
  });

  it.each(parts)("uses unique ids (%s)", (_name, d) => {
    expect([...d.fileOf].filter(([, files]) => files.length > 1).map(([id]) => id)).toEqual([]);
  });

  it.each(parts)(
    "cites only units that exist, and every fact is in a gold unit's text (%s)",
    async (name, d) => {
      const kb = await shippedKnowledgeBase();
      const problems: string[] = [];
      for (const q of d.questions) {
        if (q.kind === "answerable" && q.gold.length === 0) problems.push(`${q.id}: no gold`);
        if (q.kind !== "answerable" && q.gold.length > 0)
          problems.push(`${q.id}: gold on ${q.kind}`);
        for (const g of q.gold) if (!kb.unit(g)) problems.push(`${q.id}: no unit ${g}`);
        const texts = q.gold
          .map((g) => kb.unit(g))
          .filter((u) => u !== undefined)
          .map(unitText);
        q.facts.forEach((f, i) => {
          if (!texts.some((t) => t.includes(f))) problems.push(`${q.id}: fact #${i + 1}`);
        });
      }
      for (const c of d.complaints)
        for (const g of c.expected.legal_basis)
          if (!kb.unit(g)) problems.push(`${c.id}: no unit ${g}`);
      for (const x of d.dialogues)
        for (const t of x.turns)
          for (const g of t.expect.cites_any ?? [])
            if (!kb.unit(g)) problems.push(`${x.id}: no unit ${g}`);
      // Held-out problems name the item only, so a failing run does not print held-out wording.
      expect(problems, name).toEqual([]);
    },
  );

  it("covers every chapter of the Henan regulation and every part of the plan, in both parts", async () => {
    const kb = await shippedKnowledgeBase();
    for (const [name, d] of parts) {
      const gold = new Set(d.questions.flatMap((q) => q.gold));
      const chapters = new Set(
        [...gold].filter((k) => k.startsWith("henan-pmr-2017:")).map((k) => kb.unit(k)?.context[0]),
      );
      expect(chapters.size, name).toBe(9);
      for (const p of ["pds-plan-2024:0", "pds-plan-2024:2", "pds-plan-2024:3", "pds-plan-2024:4."])
        expect(
          [...gold].some((k) => k.startsWith(p)),
          `${name} ${p}`,
        ).toBe(true);
      for (const doc of [
        "state-pmr-2018",
        "civil-code-2020",
        "spc-building-2020",
        "spc-service-2020",
        "henan-fire-2014",
        "pds-civility-2021",
      ])
        expect(
          [...gold].some((k) => k.startsWith(`${doc}:`)),
          `${name} ${doc}`,
        ).toBe(true);
    }
  });

  it.each(parts)("labels complaints of every category, urgency and anonymity (%s)", (_name, d) => {
    const seen = (f: (e: (typeof d.complaints)[number]["expected"]) => unknown) =>
      new Set(d.complaints.map((c) => f(c.expected)));
    for (const c of [
      "governance",
      "fees",
      "safety",
      "service_quality",
      "coverage",
      "misconduct",
      "other",
    ])
      expect(seen((e) => e.category).has(c), c).toBe(true);
    for (const u of ["emergency", "high", "normal"])
      expect(seen((e) => e.urgency).has(u), u).toBe(true);
    expect(seen((e) => e.anonymous)).toEqual(new Set([true, false]));
    expect(seen((e) => e.district).size).toBeGreaterThanOrEqual(10);
  });

  it.each(parts)("has dialogues for every behaviour of the conversation (%s)", (_name, d) => {
    const turns = turnsOf(d);
    const some = (label: string, f: (t: (typeof turns)[number]) => boolean) =>
      expect(turns.some(f), label).toBe(true);
    const kinds = (t: (typeof turns)[number]) => t.expect.kinds ?? [];
    some("a cited answer", (t) => (t.expect.cites_any?.length ?? 0) > 0);
    some(
      "a conclusion first",
      (t) => t.expect.first_chars !== undefined && kinds(t).includes("answer"),
    );
    some(
      "a question answered while a draft is pending",
      (t) => kinds(t).includes("answer") && (t.expect.contains_any ?? []).includes("还需要"),
    );
    some("a correction that updates", (t) => (t.expect.contains_all ?? []).includes("已更新"));
    some("a correction that changes nothing", (t) =>
      (t.expect.not_contains ?? []).includes("已更新"),
    );
    some("filing", (t) => kinds(t).includes("complaint_filed"));
    some("cancelling", (t) => kinds(t).includes("complaint_cancelled"));
    some("progress by case number", (t) => t.text.includes("{case}"));
    some(
      "progress in everyday words",
      (t) => kinds(t).includes("progress") && !t.text.includes("{case}"),
    );
    some("help", (t) => kinds(t).includes("help"));
    some("small talk", (t) => kinds(t).includes("smalltalk"));
    some("out of scope", (t) => kinds(t).join() === "out_of_scope");
    some("emergency", (t) => (t.expect.first_chars?.contains_any ?? []).includes("119"));
    some("group brevity", (t) => t.chat === "group" && t.expect.max_chars !== undefined);
    some("details go private", (t) => t.chat === "group" && t.expect.private === true);
    some(
      "no phone in group",
      (t) => t.chat === "group" && (t.expect.not_contains ?? []).some((s) => /^1\d{10}$/.test(s)),
    );
    some("another region", (t) => (t.expect.contains_any ?? []).includes("全国"));
    some("English", (t) => t.expect.english === true);
    some("Traditional characters", (t) => /[們麼這說業會費嗎]/.test(t.text));
    some("a picture", (t) => t.text.includes("[图片]"));
    some("injection refused", (t) => kinds(t).includes("refused"));
  });
});
