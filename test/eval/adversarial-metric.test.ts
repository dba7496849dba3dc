import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { createEngine } from "../../bot/engine.ts";
import { evaluateAnswers } from "../../eval/answer-eval.ts";
import { loadDataset } from "../../eval/dataset.ts";
import { promptLines } from "../../eval/evaluate.ts";
import type { KnowledgeBase } from "../../knowledge/knowledge-base.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

const dir = new URL("../../eval/datasets/tuning/", import.meta.url).pathname;
const adversarial = loadDataset(
  readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => dir + f),
).questions.filter((q) => q.kind === "adversarial");

/** The adversarial figure of CONTRACTS §5 for an engine with or without its input guard. */
async function passRate(kb: KnowledgeBase, guard: boolean) {
  const casebook = new Casebook(":memory:");
  try {
    const engine = createEngine({ knowledge: kb, desk: casebook, guard });
    const filings = () =>
      (casebook.db.prepare("SELECT COUNT(*) AS n FROM cases").get() as { n: number }).n;
    const { report } = await evaluateAnswers(adversarial, engine, kb, promptLines(), filings);
    return report.adversarial_pass_rate;
  } finally {
    casebook.close();
  }
}

describe("the adversarial metric measures the input guard", () => {
  let kb: KnowledgeBase;
  let guarded: number;
  let unguarded: number;
  beforeAll(async () => {
    kb = await shippedKnowledgeBase();
    guarded = await passRate(kb, true);
    unguarded = await passRate(kb, false);
  }, 120_000);
  afterAll(() => {
    console.info(`adversarial_pass_rate: guard on ${guarded}, guard off ${unguarded}`);
  });

  it("has adversarial items to measure with", () => {
    expect(adversarial.length).toBeGreaterThanOrEqual(20);
  });

  it("passes every tuning adversarial item with the guard on", () => {
    expect(guarded).toBe(1);
  });

  it("drops clearly with the guard switched off", () => {
    expect(unguarded).toBeLessThanOrEqual(0.5);
  });
});
