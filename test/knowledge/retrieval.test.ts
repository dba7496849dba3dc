import { describe, expect, it } from "vitest";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

const top = async (q: string, k = 5) =>
  (await (await shippedKnowledgeBase()).retriever.search(q, { limit: k })).hits.map((h) => h.key);

describe("retrieval on residents' language", () => {
  it("finds the rule against cutting water to collect fees", async () => {
    expect(await top("物业能因为我欠费停我家的水吗", 3)).toContain("civil-code-2020:944");
  });

  it("answers the same question in Traditional characters", async () => {
    const simplified = await top("物业能因为我欠费停我家的水吗", 3);
    const traditional = await top("物業能因為我欠費停我家的水嗎", 3);
    expect(traditional).toEqual(simplified);
  });

  it("bridges 飞线充电 / 电瓶车 to the plan's safety action", async () => {
    expect(await top("楼上飞线给电瓶车充电没人管")).toContain("pds-plan-2024:2.3");
  });

  it("bridges 物业跑路 to 擅自撤离", async () => {
    const keys = await top("物业跑路了，合同还没到期人全撤了");
    expect(keys.some((k) => ["pds-plan-2024:2.6", "henan-pmr-2017:83"].includes(k))).toBe(true);
  });

  it("finds the same rules for a question asked in English, through the reviewed glossary", async () => {
    expect(
      await top("Can the management company turn off our water because we owe fees?"),
    ).toContain("civil-code-2020:944");
  });

  it("reads a question without the district it names: the plan's cover letter lists them all", async () => {
    const keys = await top("湛河区这边物业把电梯广告收的钱自己拿了，合法吗", 3);
    expect(keys).not.toContain("pds-plan-2024:0");
    expect(keys).toEqual(await top("这边物业把电梯广告收的钱自己拿了，合法吗", 3));
  });

  it("reads past residents' misspellings (typos.yaml): 物也费 is 物业费, 业为会 is 业委会", async () => {
    expect(await top("物也费收了不开发票")).toEqual(await top("物业费收了不开发票"));
    expect(await top("业为会任期满了不改选")).toEqual(await top("业委会任期满了不改选"));
  });

  it.each([
    ["楼上卫生间渗水把我家天花板泡了", "civil-code-2020:290"],
    ["对面新盖的楼把我家阳光全挡住了", "civil-code-2020:293"],
    ["走在楼下被掉下来的瓷砖砸伤了", "civil-code-2020:1253"],
    ["有人从楼上往下扔酒瓶，查不到是谁", "civil-code-2020:1254"],
    ["晚上出门掉进没盖盖子的井里", "civil-code-2020:1258"],
  ])("finds 民法典's neighbour and falling-object rules for %s", async (q, key) => {
    expect(await top(q)).toContain(key);
  });

  it("reports scores best first with unit keys", async () => {
    const kb = await shippedKnowledgeBase();
    const { hits } = await kb.retriever.search("维修基金怎么用", { limit: 8 });
    expect(hits.length).toBe(8);
    for (let i = 1; i < hits.length; i++)
      expect(hits[i - 1]?.score).toBeGreaterThanOrEqual(hits[i]?.score ?? 0);
    expect(hits.every((h) => kb.unit(h.key) === h.unit)).toBe(true);
  });

  it("returns nothing for a message with no content words", async () => {
    expect(await top("？？？")).toEqual([]);
  });
});
