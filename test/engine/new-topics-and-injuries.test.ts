/**
 * A new subject after an answer is read as itself, not through the last question; someone hurt
 * is told to ring 120 before any article; dangers told in everyday words are emergencies; a
 * request to write something is declined. The real engine files into a real Casebook on a SQLite
 * file; every wording here is our own.
 */
import { describe, expect, it } from "vitest";
import { useGroupResidents } from "../helpers/group-residents.ts";

const { resident, turnedAway } = useGroupResidents("topics", {
  community: "枫林苑",
  district: "湛河区",
});

describe("a new subject right after an answer", () => {
  it.each(["台风天小区大树砸车谁赔", "地震了小区咋疏散"])(
    "「%s」 after a question about fees cites nothing the fee answer cited",
    async (text) => {
      const r = resident();
      const fees = await r.say("物业费能按月交吗");
      expect(fees.citations.length).toBeGreaterThan(0);
      const reply = await r.say(text);
      expect(reply.citations.length, reply.text).toBeGreaterThan(0);
      expect(
        reply.citations.filter((c) => fees.citations.includes(c)),
        reply.text,
      ).toEqual([]);
    },
  );

  it("a recommendation asked in passing is turned away, not read as the last subject", async () => {
    const r = resident();
    await r.say("小区车位能只租不卖吗");
    const reply = await r.say("顺便问一句，附近哪有便宜点的停车场");
    expect(reply.kind, reply.text).toBe("out_of_scope");
    expect(reply.citations).toEqual([]);
  });

  it("a short question that only points back still continues the last subject", async () => {
    const r = resident();
    const first = await r.say("物业能不能因为欠费停俺家的水");
    const reply = await r.say("那这种情况找谁告他");
    expect(reply.kind, reply.text).toBe("answer");
    expect(
      reply.citations.some((c) => first.citations.includes(c)),
      reply.text,
    ).toBe(true);
  });
});

describe("someone hurt", () => {
  it.each(["楼上掉下个花盆把俺妈砸伤了，人还在流血，咋办", "小区里孩子被狗咬了，谁来负责"])(
    "「%s」: the numbers to ring come before any article",
    async (text) => {
      const reply = await resident().say(text);
      expect(reply.text.slice(0, 60), reply.text).toMatch(/120|110/);
    },
  );

  it("an injury elsewhere is still another body's matter", async () => {
    await turnedAway("在外面马路上被电动车撞了，骑车的跑了，腿蹭破了");
  });
});

describe("dangers told in everyday words", () => {
  it.each([
    "有个人从楼顶摔下来了",
    "娃被卡在车库卷帘门里了",
    "楼道里有人把纸箱子点着了",
    "地库进水了，车里还有人",
  ])("「%s」 is an emergency", async (text) => {
    const reply = await resident().say(text);
    expect(reply.kind, reply.text).toBe("emergency");
    expect(reply.text).toMatch(/119|110/);
  });
});

describe("writing for someone", () => {
  it("a request to write a leave note is declined", async () => {
    const reply = await resident().say("帮我写个请假条");
    expect(reply.kind, reply.text).toBe("out_of_scope");
    expect(reply.text).toContain("不代写");
  });

  it("homework named in a complaint is not a writing request", async () => {
    const reply = await resident().say("小区广场舞天天放到十点，孩子写不成作业，能管不");
    expect(reply.kind, reply.text).not.toBe("out_of_scope");
  });
});
