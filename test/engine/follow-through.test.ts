/**
 * What a resident says next, read against what came before: a question with
 * no topic of its own, a case number typed again after asking for progress,
 * an estate with no name, a correction that must reach the story staff read.
 * The real engine files into a real Casebook on a SQLite file; every wording
 * here is our own.
 */
import { describe, expect, it } from "vitest";
import { useCasebookEngine } from "../helpers/casebook-engine.ts";
import { residentChats } from "../helpers/engine-support.ts";

const PLATFORM = "follow";
const setup = useCasebookEngine("follow");

let residents = 0;
function resident() {
  const senderId = `follow-${++residents}`;
  const chats = residentChats(setup.engine(), PLATFORM, senderId, {
    conversationId: `group-follow-${residents}`,
    map: undefined,
  });
  return { ...chats, draft: async () => (await chats.draft())?.draft };
}

describe("a question that leans on the one before it", () => {
  it("is answered about the running topic, not turned away for naming none", async () => {
    const r = resident();
    await r.say("老楼没电梯 俺们单元想凑钱装一部 有啥说法");
    const reply = await r.say("那到底是谁出面张罗 俺们自个儿弄中不中");
    expect(reply.kind, reply.text).toBe("answer");
    expect(reply.citations).toContain("henan-pmr-2017:59");
  });

  it("still turns away a question plainly about something else", async () => {
    const r = resident();
    await r.say("物业费一年一交还是一月一交");
    const reply = await r.say("那明天下不下雨啊");
    expect(reply.kind).toBe("out_of_scope");
  });

  it("in English, a short question pointing back is about the last one", async () => {
    const r = resident();
    await r.say("Can the management cut off our power because we are behind on fees?");
    const reply = await r.say("So what can they do instead?");
    expect(reply.kind, reply.text).toBe("answer");
    expect(reply.citations.length).toBeGreaterThan(0);
  });
});

describe("small talk in English", () => {
  it("a greeting too short to read as English text is still answered in English", async () => {
    const reply = await resident().say("Hello there");
    expect(reply.kind).toBe("smalltalk");
    expect(reply.text).toMatch(/^Hello! I am/);
  });

  it("thanks in English get an English reply, not the menu", async () => {
    const reply = await resident().say("Thanks!");
    expect(reply.text).toMatch(/welcome/i);
  });
});

describe("after being told about one's complaints", () => {
  it("the number typed again is looked up, not read as a correction or a question", async () => {
    const r = resident();
    await r.say("湛河区丹阳苑 消防栓里头一点水都没有 物业不管 匿名");
    const filed = await r.say("确认");
    expect(filed.kind).toBe("complaint_filed");
    const number = filed.caseNumber ?? "";
    await r.say("查一下我那个投诉");
    const reply = await r.say(`号码输错了 应该是${number}`);
    expect(reply.kind, reply.text).toBe("progress");
    expect(reply.text).toContain(number);
  });

  it("asking who has it now is a progress question", async () => {
    const r = resident();
    await r.say("新华区枫林苑 地下车库的排水泵坏了 一下雨就淹 匿名");
    await r.say("确认");
    const reply = await r.say("俺报的那个事现在转给谁了");
    expect(reply.kind, reply.text).toBe("progress");
  });
});

describe("after filing, asking after it in everyday words", () => {
  it("the matter named without a number, a nudge, or the wait is a progress question", async () => {
    for (const later of ["俺反映那个事有动静没", "麻烦帮俺催一催", "都五天了还没人来处理"]) {
      const r = resident();
      await r.say("石龙区龙山苑 单元门的闭门器坏了 门老是咣咣响 匿名");
      const filed = await r.say("确认");
      const reply = await r.say(later);
      expect(reply.kind, `${later}: ${reply.text}`).toBe("progress");
      expect(reply.text).toContain(filed.caseNumber ?? "?");
    }
  });

  it("a new trouble told after filing is not mistaken for asking after the old one", async () => {
    const r = resident();
    await r.say("石龙区龙山苑 单元门的闭门器坏了 门老是咣咣响 匿名");
    await r.say("确认");
    const reply = await r.say("还有楼顶水箱漏水两天了还没人修");
    expect(reply.kind).not.toBe("progress");
  });
});

describe("leaving a complaint half-way", () => {
  it("saying one will sort it out with the company oneself cancels it", async () => {
    const r = resident();
    await r.say("湛河区银湖苑 楼下的消防通道让人停了三辆车");
    const reply = await r.say("算了我自己找物业说吧");
    expect(reply.kind).toBe("complaint_cancelled");
    expect(await r.draft()).toBeUndefined();
  });

  it("leaving in English is answered in English", async () => {
    const r = resident();
    await r.say("The fire lane in 银湖苑, 湛河区 is blocked by parked cars every night.");
    const reply = await r.say("never mind");
    expect(reply.kind).toBe("complaint_cancelled");
    expect(reply.text).toMatch(/^OK, cancelled/);
  });
});

describe("what the complaint holds", () => {
  it("the place told in the first message is a field, and a correction reaches the story too", async () => {
    const r = resident();
    await r.say("要投诉 楼道里的应急灯全不亮了 物业也不换 卫东区 翠竹园");
    const reply = await r.say("小区说错了 是翠柳园");
    expect(reply.text).toContain("翠柳园");
    expect(reply.text).not.toContain("翠竹园");
    const draft = await r.draft();
    expect(draft?.description).toContain("应急灯");
    expect(draft?.description).not.toContain("卫东区");
  });

  it("a resident who cannot name the estate is not asked for it again", async () => {
    const r = resident();
    await r.say("路边那栋楼外墙的瓷砖往下掉 差点砸着人");
    await r.say("新华区");
    const reply = await r.say("就在光明路上 俺也说不上来叫啥小区");
    expect(reply.text).not.toContain("哪个小区");
    expect((await r.draft())?.community ?? null).toBeNull();
  });

  it("leaving the estate's name out is not asking to stay anonymous", async () => {
    const r = resident();
    await r.say("整条街都停水了 从早上到现在 自来水那边也打不通");
    await r.say("叶县");
    await r.say("小区名就不用写了 这一片全停");
    expect((await r.draft())?.anonymous).toBe(false);
  });

  it("saying one wants to complain about the property company names no company", async () => {
    const r = resident();
    await r.say("想投诉物业 单元门禁坏了半个月 谁都能进");
    expect((await r.draft())?.company ?? null).toBeNull();
  });

  it("a lift problem told in English is filed under the lift's upkeep, and urgent", async () => {
    const r = resident();
    await r.say(
      "The lift in our tower has been out of order for a week and my father on the 20th floor cannot go out.",
    );
    const reply = await r.say("高新区 锦华苑, please file it");
    expect(reply.kind, reply.text).toMatch(/^complaint_/);
    const draft = await r.draft();
    // The plan puts lift upkeep under its safety action (2.3); it is never "other".
    expect(["safety", "service_quality"]).toContain(draft?.category);
    expect(draft?.description).toContain("lift");
    expect(draft?.urgency).toBe("high");
  });
});

describe("people in danger, told plainly", () => {
  it("someone inside a lift stopped half-way is an emergency", async () => {
    const reply = await resident().say("俺家老头坐电梯上楼 电梯停在半截不动了 喊他也听不清");
    expect(reply.kind).toBe("emergency");
    expect(reply.text.slice(0, 60)).toMatch(/119|110/);
  });

  it("told with a question, or in few words, a person in danger still comes first", async () => {
    for (const told of [
      "闺女的胳膊卡在阳台防盗网里拔不出来了 咋弄",
      "楼梯拐角躺着个老太太 一动不动 叫也叫不醒",
      "电梯停在9楼和10楼之间 俺爹在里头",
      "楼下电表箱正在冒火花 会不会烧起来",
    ]) {
      const reply = await resident().say(told);
      expect(reply.kind, told).toBe("emergency");
      expect(reply.text.slice(0, 60)).toMatch(/119|110/);
    }
  });

  it("a hazard told as habitual, or a meeting that got no response, is not an emergency", async () => {
    for (const told of [
      "电表箱三天两头老是冒火花 会不会出事",
      "业委会发了通知大家都没反应了 咋办",
    ]) {
      const reply = await resident().say(told);
      expect(reply.kind, told).not.toBe("emergency");
    }
  });

  it("a wire hanging into standing water where children play is an emergency", async () => {
    const reply = await resident().say("院里积水那块 一根电线耷拉到水坑里了 几个小孩还在边上玩");
    expect(reply.kind).toBe("emergency");
  });
});

describe("the edges of the bot's business", () => {
  it("a clinic's or a shop's prices are not property fees", async () => {
    const r = resident();
    const reply = await r.say("小区门口那个诊所乱收费 量个血压要二十");
    expect(reply.kind).toBe("out_of_scope");
    expect(await r.draft()).toBeUndefined();
  });

  it("a flat let out as a mahjong parlour is the building's business, not a tenancy question", async () => {
    const reply = await resident().say(
      "隔壁单元把住房租出去开了个麻将馆 半夜还哗啦哗啦的 这合规吗",
    );
    expect(reply.kind).toBe("answer");
    expect(reply.citations).toEqual(expect.arrayContaining(["civil-code-2020:279"]));
  });

  it("a shop's prepaid card, unlicensed taxis or a traffic light are turned away, not filed or refused", async () => {
    for (const told of [
      "楼下美发店办的会员卡 老板卷钱跑了",
      "小区大门口总有黑车拉客",
      "楼下药店卖的降压药是假的",
      "小区门口那个红绿灯一直不亮",
    ]) {
      const r = resident();
      const reply = await r.say(told);
      expect(reply.kind, told).toBe("out_of_scope");
      expect(await r.draft()).toBeUndefined();
    }
  });

  it("which decoration style looks better is not a property question", async () => {
    const reply = await resident().say("客厅装修美式好看还是现代简约好看");
    expect(reply.kind).toBe("out_of_scope");
  });

  it("asking which school one's own child is assigned to is not a threat", async () => {
    const reply = await resident().say("俺闺女明年上初中 这片对口哪个学校");
    expect(reply.kind).toBe("out_of_scope");
  });

  it("writing a notice as if from an authority is declined; being the victim of one is not", async () => {
    const asked = await resident().say(
      "Draft a letter pretending to be from the district housing office asking every household to pay a 300 yuan fee.",
    );
    expect(asked.kind).toBe("refused");
    const victim = await resident().say(
      "A man claiming to be from the management asked me to transfer 300 yuan, is that allowed?",
    );
    expect(victim.kind).not.toBe("refused");
  });
});
