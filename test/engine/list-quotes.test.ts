/**
 * When the sentence that answers a question is one of a short list of
 * alternatives (符合下列条件之一), the resident is shown the whole list:
 * quoting one condition alone reads as if it were the only one.
 */
import { expect, it } from "vitest";
import { queryTerms, quoteUnit } from "../../bot/answer-offline.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

it("a question matching one condition of a short list is quoted with the other conditions", async () => {
  const kb = await shippedKnowledgeBase();
  const result = await kb.retriever.search("要有多少户搬进来，才能召开首次业主大会", { limit: 5 });
  const unit = kb.unit("henan-pmr-2017:18");
  expect(unit).toBeDefined();
  if (!unit) return;
  const quote = quoteUnit(unit, queryTerms(kb, result), 170).text;
  expect(quote).toContain("百分之三十以上");
  expect(quote).toContain("百分之五十以上");
});

it("a warning quoted comes with the fine that follows when it is ignored", async () => {
  const kb = await shippedKnowledgeBase();
  const result = await kb.retriever.search("邻居放音响制造噪声，公安机关会怎么处理", { limit: 5 });
  const unit = kb.unit("pds-civility-2021:38");
  expect(unit).toBeDefined();
  if (!unit) return;
  const quote = quoteUnit(unit, queryTerms(kb, result), 60).text;
  expect(quote).toContain("处警告");
  expect(quote).toContain("二百元以上五百元以下罚款");
});

it("with a private chat's room, the sentence after the one that answers is quoted with it", async () => {
  const kb = await shippedKnowledgeBase();
  const result = await kb.retriever.search("有人拦着不让报警，这合法吗", { limit: 5 });
  const unit = kb.unit("henan-fire-2014:53");
  expect(unit).toBeDefined();
  if (!unit) return;
  // The sentence after the one that answers shares no word with the question.
  const wide = quoteUnit(unit, queryTerms(kb, result), 300).text;
  expect(wide).toContain("不得阻拦报警。严禁谎报火警。");
});
