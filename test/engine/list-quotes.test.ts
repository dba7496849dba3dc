/**
 * When the sentence that answers a question is one of a short list of
 * alternatives (符合下列条件之一), the resident is shown the whole list:
 * quoting one condition alone reads as if it were the only one.
 */
import { expect, it } from "vitest";
import { queryTerms, quoteUnit } from "../../bot/answer-offline.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

/** What the shipped unit `key` quotes for `question` within `budget` characters. */
async function quoteFor(question: string, key: string, budget: number): Promise<string> {
  const kb = await shippedKnowledgeBase();
  const result = await kb.retriever.search(question, { limit: 5 });
  const unit = kb.unit(key);
  expect(unit).toBeDefined();
  return unit ? quoteUnit(unit, queryTerms(kb, result), budget).text : "";
}

it("a question matching one condition of a short list is quoted with the other conditions", async () => {
  const quote = await quoteFor("要有多少户搬进来，才能召开首次业主大会", "henan-pmr-2017:18", 170);
  expect(quote).toContain("百分之三十以上");
  expect(quote).toContain("百分之五十以上");
});

it("a warning quoted comes with the fine that follows when it is ignored", async () => {
  const quote = await quoteFor(
    "邻居放音响制造噪声，公安机关会怎么处理",
    "pds-civility-2021:38",
    60,
  );
  expect(quote).toContain("处警告");
  expect(quote).toContain("二百元以上五百元以下罚款");
});

it("with a private chat's room, the sentence after the one that answers is quoted with it", async () => {
  // The sentence after the one that answers shares no word with the question.
  const wide = await quoteFor("有人拦着不让报警，这合法吗", "henan-fire-2014:53", 300);
  expect(wide).toContain("不得阻拦报警。严禁谎报火警。");
});
