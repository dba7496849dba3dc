/**
 * How one message follows another: a complaint told whole at once, a yes
 * that carries the place, a danger in the middle of a draft, a second 确认,
 * waiting for news, a place given right after asking. The real engine files
 * into a real Casebook on a SQLite file; every wording here is our own, and
 * each expectation is what the resident sees or what staff later read.
 */
import { describe, expect, it } from "vitest";
import { useCasebookEngine } from "../helpers/casebook-engine.ts";
import { residentChats } from "../helpers/engine-support.ts";

const PLATFORM = "turns";
const setup = useCasebookEngine("turns");

let residents = 0;
function resident(group?: { community: string; district: string }) {
  const senderId = `turns-${++residents}`;
  const chats = residentChats(setup.engine(), PLATFORM, senderId, {
    conversationId: `group-turns-${residents}`,
    map: group,
  });
  return { ...chats, draft: async () => (await chats.draft())?.draft };
}

const casesFiled = () =>
  (setup.casebook().db.prepare("SELECT COUNT(*) AS n FROM cases").get() as { n: number }).n;

describe("a complaint told whole in one message", () => {
  it("goes straight to the summary, with the buttons to confirm or cancel", async () => {
    const r = resident();
    const reply = await r.say(
      "卫东区松柏苑 地库的排风扇坏了三个月物业不修 闷得喘不过来 我要投诉 匿名",
    );
    expect(reply.kind, reply.text).toBe("complaint_confirm");
    expect(reply.text).toContain("请核对");
    expect(reply.actions).toEqual(["confirm", "cancel"]);
    // How long it has gone on is not the name of a property company.
    expect((await r.draft())?.company ?? null).toBeNull();
  });
});

describe("a yes that carries the place", () => {
  it("keeps the district and 小区 given with it and does not ask for them again", async () => {
    const r = resident();
    await r.say("物业收水费还每吨多加五毛钱服务费 这样合规吗");
    const reply = await r.say("那帮俺登记吧 宝丰县福泰园 物业叫恒泰物业");
    expect(reply.text).not.toMatch(/哪个区县|哪个小区/);
    const draft = await r.draft();
    expect(draft?.district).toBe("宝丰县");
    expect(draft?.community).toBe("福泰园");
  });

  it("after the offer to file, the place alone with a few words is the yes", async () => {
    const r = resident();
    await r.say("物业把楼下的公共车位划出来卖给外面的人，一直没公示收入，这能行吗");
    const reply = await r.say("新华区青枫苑 麻烦给查一下");
    expect(reply.kind, reply.text).toMatch(/^complaint_/);
    expect((await r.draft())?.description).toContain("公共车位");
  });

  it("the place right after asking about one's own trouble starts the complaint with that trouble", async () => {
    const r = resident();
    await r.say("俺就是问一下 电梯按钮掉了好几个 物业该不该换");
    const reply = await r.say("湛河区 丹桂苑的");
    expect(reply.kind, reply.text).toMatch(/^complaint_/);
    expect((await r.draft())?.description).toContain("电梯按钮");
  });
});

describe("confirming twice, or after leaving", () => {
  it("确认 with nothing waiting files nothing and says there is nothing to confirm", async () => {
    const r = resident();
    await r.say("我要投诉 楼顶的防水层裂了 卫东区 松柏苑 匿名");
    await r.say("先别报了");
    const before = casesFiled();
    const reply = await r.say("确认");
    expect(reply.kind).toBe("clarify");
    expect(reply.text).toContain("没有等您确认的投诉");
    expect(casesFiled()).toBe(before);
  });

  it("恁别弄了 on the summary cancels it", async () => {
    const r = resident();
    await r.say("我要投诉 楼道的灯一个月没亮了 新华区 青枫苑 匿名");
    const reply = await r.say("中 恁先别弄了 俺去物业办公室问问再说");
    expect(reply.kind, reply.text).toBe("complaint_cancelled");
  });

  it("算了 followed by a new story starts that story instead of leaving", async () => {
    const r = resident();
    const reply = await r.say("算了 我重新说 石龙区龙兴嘉苑 后院的下水井盖丢了 匿名");
    expect(reply.kind, reply.text).toMatch(/^complaint_/);
    expect((await r.draft())?.description).toContain("井盖");
  });
});

describe("a group yes that also changes the summary", () => {
  it("is shown again in private, and only the next yes files it, anonymous", async () => {
    const r = resident({ community: "松柏苑", district: "卫东区" });
    await r.inGroup("@物业助手 二号楼的消防栓箱子里水带被人拿走了 空的");
    const before = casesFiled();
    const changed = await r.inGroup("@物业助手 报吧 匿名");
    // The group sees the hand-off; the summary to check goes to the private chat.
    expect(changed.privateText).toContain("请核对");
    expect(casesFiled()).toBe(before);
    expect((await r.draft())?.anonymous).toBe(true);
    const filed = await r.inGroup("@物业助手 确认");
    expect(filed.kind).toBe("complaint_filed");
    expect(casesFiled()).toBe(before + 1);
  });
});

describe("a danger told in the middle", () => {
  it("right after an answer is an emergency, not a complaint about the answered question", async () => {
    const r = resident();
    await r.say("业委会任期几年");
    const reply = await r.say("哎呀 厨房外面一股液化气味 很冲");
    expect(reply.kind).toBe("emergency");
    expect(reply.text.slice(0, 60)).toMatch(/119|110/);
    expect((await r.draft())?.description ?? "").not.toContain("任期");
  });

  it("while a draft waits, says who to call first and keeps the draft", async () => {
    const r = resident();
    await r.say("我要投诉 小区的消防通道被货车堵了 新华区 青枫苑");
    const reply = await r.say("快 楼下车棚烧起来了 全是烟");
    expect(reply.kind).toBe("emergency");
    expect(reply.text.slice(0, 60)).toMatch(/119|110/);
    const draft = await r.draft();
    expect(draft?.urgency).toBe("emergency");
    expect(draft?.description).toContain("消防通道");
  });
});

describe("asking after a complaint, and waiting", () => {
  it.each(["俺昨天报的那个 啥时候能来人", "漏水那件事有人管了没", "工单号是 2023110512345"])(
    "「%s」 asks after a complaint",
    async (text) => {
      const reply = await resident().say(text);
      expect(reply.kind).toBe("progress");
    },
  );

  it("saying they will wait gets a short thank-you, not the case list", async () => {
    const reply = await resident().say("行 那我等通知");
    expect(reply.kind).toBe("smalltalk");
    expect(reply.text).toContain("进度");
  });
});

describe("help, greetings and goodbyes in everyday words", () => {
  it.each(["能帮俺弄点啥", "功能给我看看"])("「%s」 gets the help text", async (text) => {
    expect((await resident().say(text)).kind).toBe("help");
  });

  it.each(["下午好啊 忙着没", "中 回头再问你"])("「%s」 is small talk", async (text) => {
    expect((await resident().say(text)).kind).toBe("smalltalk");
  });
});

describe("asking to complain, and asking where to complain", () => {
  it("俺要告开发商 asks what happened, without an answer first", async () => {
    const reply = await resident().say("俺要告开发商");
    expect(reply.kind).toBe("complaint_question");
    expect(reply.citations).toEqual([]);
  });

  it("asking in English whom to complain to is answered, not filed", async () => {
    const r = resident();
    await r.say("Can the management company lock my parking space because I owe fees?");
    const reply = await r.say("Where can I complain about that?");
    expect(reply.kind).not.toMatch(/^complaint_/);
    expect(await r.draft()).toBeUndefined();
  });
});

describe("property words in unusual company", () => {
  it("a decoration deposit kept back is the property company's business, not a landlord's", async () => {
    const reply = await resident().say("物业收的装修保证金押金两千 完工验收过了就是不退");
    expect(reply.kind).not.toBe("out_of_scope");
  });

  it("a solar heater put up on the shared roof is a question about common parts", async () => {
    const reply = await resident().say("六楼那户在楼顶平台装了两台太阳能热水器 这占公共地方吗");
    expect(reply.kind).toBe("answer");
  });

  it("trouble in another province is answered with the caveat, not filed", async () => {
    const r = resident();
    const reply = await r.say("杭州我表哥那个小区物业天天停电梯 吵翻天了 浙江有规定吗");
    expect(reply.kind).toBe("answer");
    expect(reply.text).toContain("没有杭州的地方规定");
    expect(await r.draft()).toBeUndefined();
  });

  it("an estate's own rubbish trouble is filed even when it talks about hiring", async () => {
    const r = resident();
    const reply = await r.say(
      "你们到底管不管 垃圾桶三天没人清 保洁走了也不招人 物业费一分不少收 湛河区丹桂苑4号楼",
    );
    expect(reply.kind, reply.text).toMatch(/^complaint_/);
  });
});
