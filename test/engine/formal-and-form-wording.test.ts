/**
 * Residents who write politely or fill in the bot's questions like a form:
 * a reason and a courtesy around leaving, 区县：/小区名称： labels, a case
 * number inside a whole sentence, a count (十几户) or an unknown person
 * (不知道谁) that asks nothing, and short follow-ups that point back at the
 * last question. The real engine files into a real Casebook on a SQLite file.
 */
import { describe, expect, it } from "vitest";
import { useCasebookEngine } from "../helpers/casebook-engine.ts";
import { residentChats } from "../helpers/engine-support.ts";

const PLATFORM = "formal";
const setup = useCasebookEngine("formal");

let residents = 0;
function resident() {
  const senderId = `formal-${++residents}`;
  const chats = residentChats(setup.engine(), PLATFORM, senderId, {
    conversationId: "group-formal",
    map: { community: "枫林雅苑", district: "卫东区" },
  });
  return {
    say: chats.say,
    inGroup: chats.inGroup,
    draft: async () => (await chats.draft())?.draft,
  };
}

/** Tells a problem, then gives the district and the estate as the bot asks; the last reply. */
async function told(
  r: ReturnType<typeof resident>,
  story: string,
  district: string,
  estate: string,
) {
  await r.say(story);
  await r.say(district);
  return r.say(estate);
}

const casesFiled = () =>
  (setup.casebook().db.prepare("SELECT COUNT(*) AS n FROM cases").get() as { n: number }).n;

describe("leaving with a reason and a courtesy around it", () => {
  it.each([
    "经过慎重考虑，这件事我暂时不提交了，麻烦把这份登记撤销掉。",
    "不好意思，和老伴商量过后决定不投诉了，请撤回吧。",
    "物业已经派人修好了，我就不再反映了，谢谢",
  ])("「%s」 on the summary cancels it and files nothing", async (leave) => {
    const r = resident();
    let reply = await told(
      r,
      "我要投诉，二单元的楼道灯坏了一个多月，晚上下楼全靠手机照",
      "卫东区",
      "松涛苑",
    );
    expect(reply.kind, reply.text).toBe("complaint_confirm");
    const before = casesFiled();
    reply = await r.say(leave);
    expect(reply.kind, reply.text).toBe("complaint_cancelled");
    expect(await r.draft()).toBeUndefined();
    expect(casesFiled()).toBe(before);
  });
});

describe("fields given like a form", () => {
  it("区县：X and 小区名称：Y fill the district and the estate, whatever was asked first", async () => {
    const r = resident();
    let reply = await r.say("我要投诉，物业代收水费每吨多加五毛钱，已经收了一年");
    expect(reply.text).toContain("哪个区县");
    reply = await r.say("小区名称：枫林雅苑。");
    reply = await r.say("区县：城乡一体化示范区。");
    expect(reply.kind, reply.text).toBe("complaint_confirm");
    expect(reply.text).toMatch(/小区：枫林雅苑/);
    expect(reply.text).toMatch(/区县：城乡一体化示范区/);
    const draft = await r.draft();
    expect(draft?.community).toBe("枫林雅苑");
    // The label filled in is not a story, and not a name.
    expect(draft?.description).not.toContain("小区名称");
  });
});

describe("asking after a case in a whole polite sentence", () => {
  it("a case number with courtesies around it shows that case, not an answer about complaints", async () => {
    const r = resident();
    await told(r, "我要投诉，小区东门的道闸坏了半个月，车随便进出", "新华区", "丹桂园");
    const filed = await r.say("确认");
    expect(filed.kind, filed.text).toBe("complaint_filed");
    const number = filed.caseNumber ?? "";
    const reply = await r.say(
      `你好，想请你帮忙看一下编号${number}这件投诉现在交到哪个部门了？谢谢。`,
    );
    expect(reply.kind, reply.text).toBe("progress");
    expect(reply.text).toContain(number);
  });

  it("我要投诉 after a story that ends in 结果 files something new, it does not look one up", async () => {
    const r = resident();
    const reply = await r.say("业委会换届连候选人都没公布就宣布了选举结果，我要实名投诉");
    expect(reply.kind, reply.text).toBe("complaint_question");
  });

  it("正式 or 实名 between 我想 and 投诉 still asks to complain", async () => {
    const r = resident();
    const reply = await r.say(
      "我们二十几户业主联名交了成立业主大会的申请，街道办三个月了一点回音都没有，我想正式投诉。",
    );
    expect(["complaint_question", "complaint_confirm"]).toContain(reply.kind);
  });
});

describe("telling, not asking", () => {
  it.each([
    "五号楼每一层的灭火器都没了，消火栓箱打开啥也没有",
    "我们这十几户门口的消防栓箱不知道叫谁拆走了，物业也不来管",
  ])("「%s」 is a problem told, so intake starts", async (story) => {
    const reply = await resident().say(story);
    expect(["complaint_question", "complaint_offer"]).toContain(reply.kind);
  });

  it("从哪下手 asks how to begin, however much trouble comes before it", async () => {
    const reply = await resident().say(
      "我们小区交房三年了还没有业委会，大家想自己张罗起来，从哪下手比较好",
    );
    expect(["answer", "procedure"]).toContain(reply.kind);
  });

  it("你能帮咱们做点啥 asks what the bot does", async () => {
    const reply = await resident().say("你能帮咱们做点啥");
    expect(reply.kind).toBe("help");
  });
});

describe("a short follow-up that points back", () => {
  it("那房东… after a tenant's question about voting is answered from the proxy rule", async () => {
    const r = resident();
    const first = await r.say("我租的房子，小区要投票选业委会，租户能投吗");
    expect(first.citations).toContain("henan-pmr-2017:15");
    const reply = await r.say("那房东得给我弄个啥手续");
    expect(["answer", "procedure"]).toContain(reply.kind);
    expect(reply.citations).toContain("henan-pmr-2017:15");
  });

  it("a road outside the estate's gate is still the city's, even as a follow-up", async () => {
    const r = resident();
    await r.say("小区里的路灯归不归物业修");
    const reply = await r.say("那出了小区大门，外面马路上的坑谁来填");
    expect(reply.kind, reply.text).toBe("out_of_scope");
    expect(reply.citations).toEqual([]);
  });
});

describe("what is not the estate's, and what the bot will not write", () => {
  it.each([
    "小区东门外面那条人行道砖全碎了，谁来管",
    "开发商说土地手续没弄完，交房三年了还没给我们办房产证",
    "How much is one US dollar in RMB right now?",
  ])("「%s」 is politely redirected, citing nothing", async (text) => {
    const reply = await resident().say(text);
    expect(reply.kind, reply.text).toBe("out_of_scope");
    expect(reply.citations).toEqual([]);
  });

  it("a certificate held back until the maintenance fund is paid is the estate's matter", async () => {
    const reply = await resident().say("不交首期维修资金，不动产登记那边就不给办房产证吗");
    expect(["answer", "procedure"]).toContain(reply.kind);
    expect(reply.citations).toContain("henan-pmr-2017:65");
  });

  it("an accusation the resident admits they cannot support is not written down", async () => {
    const before = casesFiled();
    const reply = await resident().say(
      "帮我举报保安队长王某偷了车棚的电瓶，我拿不出证据，你就写是他干的",
    );
    expect(["refused", "out_of_scope"]).toContain(reply.kind);
    expect(casesFiled()).toBe(before);
  });
});

describe("a danger asked about, not told", () => {
  it("a question about someone trapped gets 119/110 before the rule", async () => {
    const reply = await resident().say("要是有人被关在电梯里，物业按规定多长时间得赶到");
    expect(["answer", "procedure"]).toContain(reply.kind);
    expect(reply.text.slice(0, 40)).toMatch(/119|110/);
    expect(reply.citations.length).toBeGreaterThan(0);
  });
});

describe("details in everyday words", () => {
  it("那还是匿名吧 said in the group makes the pending complaint anonymous", async () => {
    const r = resident();
    const first = await r.inGroup("@物业助手 物业把单元门口的绿地围起来收停车费，我要投诉");
    expect(first.kind, first.text).toMatch(/^complaint_/);
    const reply = await r.inGroup("@物业助手 那还是匿名吧");
    expect(reply.kind, reply.text).toMatch(/^complaint_/);
    expect((await r.draft())?.anonymous).toBe(true);
  });

  it("a company whose name ends in 和 is kept whole; 的时候物业 names no company", async () => {
    const r = resident();
    await r.say("我要投诉，装修的时候物业非要我们用他们指定的清运队，一车收四百");
    expect((await r.draft())?.company ?? undefined).toBeUndefined();
    await r.say("物业是祥和物业");
    expect((await r.draft())?.company).toBe("祥和物业");
  });

  it("我提的那个…单子 咋样了 after filing shows the case", async () => {
    const r = resident();
    await told(r, "我要投诉，三号楼的电梯按钮坏了一个月没人修", "湛河区", "丹桂苑");
    const filed = await r.say("确认");
    expect(filed.kind, filed.text).toBe("complaint_filed");
    const reply = await r.say("我提的那个电梯按钮的单子 咋样了");
    expect(reply.kind, reply.text).toBe("progress");
    expect(reply.text).toContain(filed.caseNumber ?? "");
  });
});

describe("round-13 wording: what happened since, then leaving", () => {
  it("news first, then leaving, then thanks cancels; 匿名吧 with a reason does not", async () => {
    const r = resident();
    await told(r, "我要投诉，二单元的楼道灯坏了一个多月，晚上下楼全靠手机照", "卫东区", "松涛苑");
    const kept = await r.say("匿名吧，怕邻居说闲话");
    expect(kept.kind, kept.text).toBe("complaint_confirm");
    expect((await r.draft())?.anonymous).toBe(true);
    const before = casesFiled();
    const reply = await r.say("物业下午派电工来换了灯泡，现在亮了。这事就不报了，谢谢啊");
    expect(reply.kind, reply.text).toBe("complaint_cancelled");
    expect(casesFiled()).toBe(before);
  });

  it("a reporter asking whether their own identity is kept secret is answered, not refused", async () => {
    const reply = await resident().say("如果我举报邻居占用消防通道，举报人的信息能保密吗");
    expect(["answer", "procedure"]).toContain(reply.kind);
  });

  it("whether an owner without the title certificate may vote is answered", async () => {
    const reply = await resident().say(
      "开发商到现在没给办房产证，我住了八年了，业主大会表决算不算我一票",
    );
    expect(["answer", "procedure"]).toContain(reply.kind);
  });

  it.each([
    "期房合同写的前年交房，现在还没封顶，能要求退房吗",
    "供暖公司今年采暖费每平方涨了三块，能不能申请减免",
    "出了大门那条市政道路上的井盖丢了，谁来补",
  ])("「%s」 is not the estate's, and is redirected", async (text) => {
    const reply = await resident().say(text);
    expect(reply.kind, reply.text).toBe("out_of_scope");
  });

  it("a flowerpot thrown from above onto a car is the estate's matter", async () => {
    const reply = await resident().say("楼上不知道谁丢了个花盆下来，把我电动车砸坏了，找谁赔");
    expect(["answer", "procedure", "complaint_question", "complaint_offer"]).toContain(reply.kind);
    expect(reply.citations).toContain("civil-code-2020:1254");
  });

  it("water rising in a basement with someone still down there is an emergency", async () => {
    const reply = await resident().say("车库里进水了，已经没过小腿，我妈下去拿东西还没上来");
    expect(reply.kind).toBe("emergency");
    expect(reply.text.slice(0, 60)).toMatch(/119|110/);
  });

  it("asked in English about smoke, the numbers to ring come first, in English", async () => {
    const reply = await resident().say(
      "What should I do if the stairwell fills with smoke at night?",
    );
    expect(reply.text.slice(0, 60)).toMatch(/119|110/);
  });
});

describe("a dog named by its breed", () => {
  it("whether a big dog may be kept in the estate is answered from the dog rule", async () => {
    const reply = await resident().say("三单元有人养了只萨摩耶 个头老大 咱们小区让不让养大狗");
    expect(["answer", "procedure"]).toContain(reply.kind);
    expect(reply.citations).toContain("henan-pmr-2017:57");
  });
});
