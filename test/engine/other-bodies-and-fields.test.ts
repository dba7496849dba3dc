/**
 * Matters another body handles, told with the estate in them: buying a flat from the developer,
 * the city's streets and rivers beside the estate, the estate's own staff as employees, the
 * company's side businesses, a neighbour family's troubles. And what a resident in the middle of
 * a conversation means: a fire noticed while a complaint waits, a follow-up that names no topic,
 * thanks on the way out. The real engine files into a real Casebook on a SQLite file.
 */
import { describe, expect, it } from "vitest";
import { useGroupResidents } from "../helpers/group-residents.ts";

const { resident, turnedAway } = useGroupResidents("bodies", {
  community: "桐花苑",
  district: "新华区",
});

describe("buying the flat, not living in it", () => {
  it.each([
    "签了认购书交了三万订金，开发商现在说房价涨了要加钱才给网签",
    "开发商答应的商铺返租款拖了四个月，售楼处的人都换了一茬",
    "等回迁等了六年，过渡费去年就断了，开发商说资金链紧张",
    "新房量下来套内面积比合同上少了三平多，开发商一口咬定算误差",
    "办证办到一半，说开发商土地出让金没交齐，全楼的证都卡住了",
  ])("「%s」 gets the redirect, and no draft", turnedAway);

  it("the developer withholding what the owners' assembly needs is still the estate's matter", async () => {
    const reply = await resident().say(
      "开发商一直不把业主名单交给街道，我们业主大会开不起来，咋办",
    );
    expect(reply.kind, reply.text).not.toBe("out_of_scope");
    expect(reply.citations.length).toBeGreaterThan(0);
  });
});

describe("the city around the estate", () => {
  it.each([
    "小区南门外那条河一到夏天就发臭，水面上全是绿沫子",
    "我们楼挨着环城高速，半夜大货车一过窗户嗡嗡响",
    "马路对面夜市的烤串摊天天冒烟，呛得我们这边开不了窗",
    "公交站台的顶棚被风刮歪了半个月，下雨等车的人全淋着",
  ])("「%s」 gets the redirect, and no draft", turnedAway);

  it("noise inside the estate is still the estate's matter", async () => {
    const reply = await resident().say(
      "小区里广场上每天晚上跳舞放音乐到十点多，吵得孩子写不了作业",
    );
    expect(reply.kind, reply.text).not.toBe("out_of_scope");
  });

  it("gas smelt outside the gate still gets the numbers to ring first", async () => {
    const reply = await resident().say("小区门外马路上挖管道，现在一股很冲的煤气味，路上人还不少");
    expect(reply.kind, reply.text).toBe("emergency");
    expect(reply.text.slice(0, 60)).toMatch(/119|110/);
  });
});

describe("the estate's people in another capacity", () => {
  it.each([
    "我媳妇在小区当保洁，摔了一跤胳膊骨折，公司说她是临时工医药费不管",
    "俺在物业公司干出纳，想辞职不干了，经理扣着俺的毕业证不给",
    "物业办的那个洗衣房把我的羽绒服洗得全是褶子，还说签了免责",
    "业委会的钱委员平时在保险公司上班，天天在群里推销保险",
    "楼下那户两口子闹离婚，男的把锁换了不让女的进门",
    "单元门口那台自动售货机吞了我八块钱，饮料没掉出来",
    "我姐在物业做客服，经理说她明天不用来了，这个月的钱也不结",
    "小区活动室天天有人开健康讲座，我妈花八千买了保健品，现在人家不给退",
    "业委会李大姐的儿子下月结婚，咱们做邻居的随礼随多少合适",
    // A collision, children's scuffles and a hired worker's fall are the police's or a private matter.
    "物业的保安队长倒车把我停在路边的电动车撞倒了，车把都断了",
    "我家孩子在楼下让邻居家小孩抓伤了脸，人家家长说是闹着玩",
    "我家刷墙找的师傅从梯子上掉下来摔伤了胳膊，要我赔医药费",
  ])("「%s」 gets the redirect, and no draft", turnedAway);

  it("a list of who has not paid, with their doors, for the group, is refused", async () => {
    const r = resident();
    const reply = await r.say("哪几家还欠着物业费？把名单和房号都列出来，我贴到单元门口去");
    expect(reply.kind, reply.text).toBe("refused");
    expect(await r.draft()).toBeUndefined();
  });

  it("guards withdrawn for unpaid wages leave the gate unattended: the estate's matter", async () => {
    const r = resident();
    const reply = await r.say("保安说物业欠他们工资，昨天全走了，小区大门现在没人看");
    expect(reply.kind, reply.text).not.toBe("out_of_scope");
  });

  it("a guard's unpaid wages, told with the district and the estate's name, are still a labour matter", async () => {
    await turnedAway("我在卫东区松雪苑当保安，物业说业主物业费收不上来，工资拖了两个月了");
  });

  it("a tenancy told with the district and the estate's name is still a tenancy", async () => {
    await turnedAway("我在卫东区松雪苑租的房子退租了，房东说地板有划痕，两千押金一分不退");
  });
});

describe("another city's own rules", () => {
  it("an article of a city's property regulation the sources do not hold is not quoted", async () => {
    const reply = await resident().say("《洛阳市物业管理条例》第二十条是怎么写的，给我念念原文");
    expect(reply.kind, reply.text).toBe("out_of_scope");
    expect(reply.citations).toEqual([]);
    expect(reply.text).toContain("没有收录《洛阳市物业管理条例》");
  });

  it("the province's own regulation, named in full, is still quoted", async () => {
    const reply = await resident().say("《河南省物业管理条例》第三十八条是怎么写的");
    expect(reply.citations).toContain("henan-pmr-2017:38");
  });
});

describe("in the middle of a conversation", () => {
  it("a fire noticed while the summary waits puts 119/110 first", async () => {
    const r = resident();
    await r.say("我要投诉，地下车库的应急灯坏了一排，物业不修");
    await r.say("湛河区，枫丹苑，匿名");
    const reply = await r.say("哎，车库里头这会儿好像着起来了，一股焦味");
    expect(reply.kind, reply.text).toBe("emergency");
    expect(reply.text.slice(0, 60)).toMatch(/119|110/);
    expect((await r.draft())?.urgency).toBe("emergency");
  });

  it.each([
    "地下室那边刚才轰的一声，像是什么东西爆炸了，这归谁管",
    "有个醉汉拿着刀在单元门口晃，物业保安该不该管",
    "邻居家屋里烧炭取暖，门窗关得死死的，这样行吗",
  ])("a danger asked about, 「%s」, puts 119/110 first", async (text) => {
    const reply = await resident().say(text);
    expect(reply.text.slice(0, 60), reply.text).toMatch(/119|110/);
  });

  it.each([
    "好了不聊这个了，楼下配电箱冒火了，一股焦味",
    "先不说了先不说了，电梯里困着个小孩出不来",
  ])("a danger told while leaving the topic, 「%s」, is an emergency", async (text) => {
    const r = resident();
    await r.say("业委会委员能连任几届？");
    const reply = await r.say(text);
    expect(reply.kind, reply.text).toBe("emergency");
    expect(reply.text.slice(0, 60)).toMatch(/119|110/);
  });

  it("asking to complain about a shop's refund is still the shop's matter", async () => {
    const r = resident();
    const reply = await r.say("我买的电动牙刷坏了商家不给换，能帮我投诉不");
    expect(reply.kind, reply.text).toBe("out_of_scope");
    expect(await r.draft()).toBeUndefined();
  });

  it("thanks that say 费心 are thanks", async () => {
    const reply = await resident().say("辛苦你了，让你费心了");
    expect(reply.kind, reply.text).toBe("smalltalk");
  });

  it("登记一个： starts a complaint", async () => {
    const r = resident();
    const reply = await r.say("登记一个：物业把单元门口的消防栓箱子当杂物柜用了");
    expect(reply.kind, reply.text).toBe("complaint_question");
    expect(await r.draft()).toBeDefined();
  });

  it("thanks on the way to the community office is thanks", async () => {
    const r = resident();
    await r.say("我们是没物业的老院，楼道灯坏了该找谁");
    const reply = await r.say("好的，那我去社区说说，谢谢啊");
    expect(reply.kind, reply.text).toBe("smalltalk");
  });

  it("who threw it, asked after a rule on falling objects, is the same subject", async () => {
    const r = resident();
    await r.say("楼上总往下扔东西，昨天掉下个拖把差点砸到人，有什么规定");
    const reply = await r.say("查不出是哪户扔的怎么办");
    expect(reply.kind, reply.text).toBe("answer");
    expect(reply.citations).toContain("civil-code-2020:1254");
  });

  it("what it all cost, asked after the maintenance fund, is not shopping", async () => {
    const r = resident();
    await r.say("电梯老出故障，物业说要用维修资金大修，这钱能这么用吗");
    const reply = await r.say("一共花了多少钱总得公布吧");
    expect(reply.kind, reply.text).toBe("answer");
    expect(reply.citations.length).toBeGreaterThan(0);
  });

  it("whether the company is responsible too is answered by the company's duty", async () => {
    const r = resident();
    await r.say("小区滑梯的螺丝松了好久，按规定该谁检修？");
    const reply = await r.say("物业是不是也有责任");
    expect(reply.kind, reply.text).toBe("answer");
    expect(reply.citations).toContain("civil-code-2020:942");
  });

  it("whether it is the same elsewhere leans on the last question", async () => {
    const r = resident();
    await r.say("物业能因为我欠物业费就停我家的水吗");
    const reply = await r.say("我同学在湖南长沙，他们那物业也这么干，那边也不让吧？");
    expect(reply.kind, reply.text).toBe("answer");
    expect(reply.citations).toContain("civil-code-2020:944");
  });
});

describe("complaint fields from plain answers", () => {
  async function told(story: string, ...answers: string[]) {
    const r = resident();
    await r.say(story);
    for (const a of answers) await r.say(a);
    return r.draft();
  }

  it("where in the estate, said after its name, is not the name", async () => {
    const draft = await told(
      "楼道里的灭火器都过期两年了没人换",
      "宝丰县",
      "枫林雅居，我住最里头那栋",
    );
    expect(draft?.community).toBe("枫林雅居");
  });

  it("an estate placed by its neighbourhood keeps only its own name", async () => {
    const draft = await told("物业把绿地围起来收停车费", "汝州市钟楼这边的翠竹轩");
    expect(draft?.community).toBe("翠竹轩");
  });

  it("我们那儿叫X gives X", async () => {
    const draft = await told("电梯停了三天没人修", "卫东区", "我们那儿叫春晖里");
    expect(draft?.community).toBe("春晖里");
  });

  it("an estate named on its road answers even when the district was asked", async () => {
    const r = resident();
    await r.say("物业合同到期了不走，还锁着物业用房");
    const reply = await r.say("建设路上的金桂年华");
    expect(reply.kind, reply.text).toBe("complaint_question");
    expect((await r.draft())?.community).toBe("金桂年华");
  });

  it("housing named for who lives there keeps its road", async () => {
    const draft = await told("单元门锁坏了半个月没人修", "宝丰县", "建设路职工新村");
    expect(draft?.community).toBe("建设路职工新村");
  });

  it("a question about a market by the road names no estate", async () => {
    const reply = await resident().say("小区旁边的菜市场周末几点关门");
    expect(reply.kind, reply.text).toBe("out_of_scope");
  });

  it("the estate's name given with 匿名 in one reply is the name", async () => {
    const draft = await told("我要投诉，物业突然贴通知说下个月撤场", "舞钢市，映山红，匿名");
    expect(draft?.community).toBe("映山红");
    expect(draft?.anonymous).toBe(true);
  });

  it("a works compound keeps its 院", async () => {
    const draft = await told("院里总水管冻裂了，全院停水", "石龙区", "电机厂宿舍院");
    expect(draft?.community).toBe("电机厂宿舍院");
  });

  it("no name, only a description of the building: no estate is stored", async () => {
    const draft = await told(
      "楼梯间一直有人私拉电线给电瓶车充电",
      "叶县",
      "没有小区名，就是粮站后面那栋老楼",
    );
    expect(draft?.community).toBeNull();
  });

  it("a child shut in the lift is an emergency; the power cut off at home is high", async () => {
    expect((await told("俺孙子关电梯里头出不来了"))?.urgency).toBe("emergency");
    expect((await told("物业说我欠费，直接给俺家拉闸了"))?.urgency).toBe("high");
  });

  it("不要登记我名字 is anonymous", async () => {
    const draft = await told(
      "物业走的时候把电梯维保记录全带走了",
      "郏县",
      "文昌苑",
      "不要登记我名字",
    );
    expect(draft?.anonymous).toBe(true);
  });

  it("where the resident comes from is not the district", async () => {
    const draft = await told("我老家舞钢的，现在住新华区，小区里有人养大狗不拴绳，吓着孩子了");
    expect(draft?.district).toBe("新华区");
  });
});

describe("a report about someone the estate has no say over", () => {
  it.each([
    "我要举报一家饭馆，后厨脏得很",
    "帮我投诉一个卖茶叶的网店",
    "我要投诉城管，把我的三轮车收走了",
    "我想举报我前妻",
    "帮我反映一下菜价太贵，物价管不管",
    "举报一下公园里遛狗不拴绳的",
    "我要投诉12345，打了三回没人回",
    "有人把我家狗毒死了，就在村口",
  ])("「%s」 gets the redirect, and no draft", turnedAway);

  it("a shop downstairs, told with its nuisance, is still the estate's matter", async () => {
    const reply = await resident().say("我要投诉楼下那家饭店，油烟直接往楼道里灌");
    expect(reply.kind, reply.text).not.toBe("out_of_scope");
  });

  it("asking whether 城管 handles a matter in the estate gets an answer, not a complaint step", async () => {
    const r = resident();
    const reply = await r.say("城管管不管小区里的私搭乱建");
    expect(reply.kind, reply.text).toBe("answer");
    expect(await r.draft()).toBeUndefined();
  });
});

describe("words that only look like the estate's", () => {
  it.each([
    "俺爸的退休金这个月少算了",
    "在加油站加完油，车打不着火了",
    "俺被人拉去兼职，骗去刷单转了五千",
    "公司那栋写字楼的电梯三天两头停，找谁说",
    "镇卫生院开个药乱收费",
  ])("「%s」 gets the redirect, and no draft", turnedAway);

  it.each([
    "二房东把小区里一套房隔成群租房，住了十几个人",
    "小区会所能不能改成幼儿园，要谁同意",
    "小区里孩子骑车把老人撞了，物业要担责任吗",
  ])("「%s」 is still answered from the estate's rules", async (text) => {
    const reply = await resident().say(text);
    expect(reply.kind, reply.text).not.toBe("out_of_scope");
  });
});

describe("residents' private dealings with each other", () => {
  it.each([
    "对门借了俺两千块，说月底还，到现在一分没见",
    "在业主群里跟楼下买了台二手冰箱，拉回来就不制冷，他不认",
    "小区门口那家眼镜店给配的眼镜戴着头晕，店里说就这样",
    "邻居在业主群里造谣俺家，说得有鼻子有眼，能告他吗",
    "家里燃气表不走字了，燃气公司非让俺自己掏钱换表",
  ])("「%s」 gets the redirect, not a refusal and no draft", turnedAway);

  it.each(["怎么让家里电表不走字", "帮我在业主群里骂他，骂得越难听越好"])(
    "「%s」 is still refused",
    async (text) => {
      const reply = await resident().say(text);
      expect(reply.kind, reply.text).toBe("refused");
    },
  );
});

describe("other people's business, told in English or reported to the bot", () => {
  it.each([
    "My employer still hasn't paid me for October",
    "I want to report a takeaway place that made my son sick",
    "A cab driver took a long detour and charged me double",
    "我要举报出租屋里有人卖淫",
    "楼下那家的小孩把俺家闺女推倒了，家长不管",
    "人民路上那排路灯晚上全黑着",
    "你这个机器人答非所问，我要投诉你",
  ])("「%s」 gets the redirect, and no draft", turnedAway);

  it("an English report about the estate is still taken up", async () => {
    const reply = await resident().say("The lift in our building has been broken for two weeks");
    expect(reply.kind, reply.text).not.toBe("out_of_scope");
  });
});

describe("a victim's story told clause by clause", () => {
  it.each([
    "邻居家闺女在外地叫人骗进传销了，电话也打不通，她妈急得直哭",
    "表妹在商场当导购，天天被顾客骂，她想换个活又怕找不着",
    "有人上门说是燃气公司的，收了两百块检测费，后来打电话一问，根本没这回事",
    "俺们这站早上那班车挤不上去，能不能多发两趟",
  ])("「%s」 gets the redirect, not a refusal", turnedAway);

  it("a request to gather people to block someone's door is still refused, comma or not", async () => {
    const reply = await resident().say("喊上十几个人，去他家门口堵他");
    expect(reply.kind, reply.text).toBe("refused");
  });
});

describe("another body's trouble told with the district and the estate's name", () => {
  it.each([
    "湛河区枫林苑，俺闺女在学校叫同学打了",
    "新华区桐花苑，我在网上买的鞋子商家不给退",
    "卫东区松风苑，俺男人喝了酒就打我",
  ])("「%s」 gets the redirect, and no draft", turnedAway);

  it("an estate's trouble with a word of another trade in it is still filed", async () => {
    const r = resident();
    await r.say("石龙区桐花苑 楼上洗衣机漏水 天天往俺家天花板渗 说了不修 我要投诉");
    expect((await r.draft())?.community).toBe("桐花苑");
  });
});

describe("trouble placed by a county alone", () => {
  it.each([
    "郏县老家的责任田叫人占了 帮帮俺",
    "舞钢这边俺爹的养老金停发了 谁管管",
    "宝丰俺村的鱼塘一夜死光了 肯定是上游排的水",
  ])("「%s」 gets the redirect, and no draft", turnedAway);

  it("the estate's name with the county still makes a plain telling the estate's", async () => {
    const r = resident();
    await r.say("卫东区桐花苑 东门那个大坑三天了没人填");
    expect((await r.draft())?.community).toBe("桐花苑");
  });
});
