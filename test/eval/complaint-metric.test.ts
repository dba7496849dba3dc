import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDataset } from "../../eval/dataset.ts";
import { evaluateDataset } from "../../eval/evaluate.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

const dir = mkdtempSync(join(tmpdir(), "wuye-complaint-metric-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function score(turns: string[]) {
  const file = join(dir, `${turns.length}-${Math.random().toString(36).slice(2)}.jsonl`);
  const expected = {
    category: "safety",
    district: "新华区",
    community: "锦绣花园",
    urgency: "high",
    anonymous: true,
    legal_basis: [],
  };
  writeFileSync(file, `${JSON.stringify({ id: "m1", turns, expected })}\n`);
  return (await evaluateDataset(loadDataset([file]), await shippedKnowledgeBase())).report
    .complaints;
}

describe("complaint field accuracy", () => {
  const told = ["楼道里堆满了杂物，把消防通道堵死了", "新华区锦绣花园", "匿名"];

  it("scores the complaint the resident confirmed, not only one still pending", async () => {
    const pending = await score(told);
    const filed = await score([...told, "确认"]);
    expect(pending.community_accuracy).toBe(1);
    expect(filed).toEqual(pending);
  }, 60_000);

  it("counts every field wrong when the resident cancelled and nothing was taken down", async () => {
    const cancelled = await score([...told, "算了"]);
    expect(cancelled.category_accuracy).toBe(0);
    expect(cancelled.district_accuracy).toBe(0);
    expect(cancelled.anonymous_accuracy).toBe(0);
  }, 60_000);
});
