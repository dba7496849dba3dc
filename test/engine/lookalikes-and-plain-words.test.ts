/**
 * Everyday wording that used to go astray: a follow-up with no subject of its
 * own, rent that is the estate's income, other bodies' matters that look like
 * the estate's, progress and thanks in plain words, a danger that is over, an
 * estate named after a scare, a phone number given in the group with a field
 * beside it. The real engine files into a real Casebook on a SQLite file.
 */
import { describe, expect, it } from "vitest";
import { useCasebookEngine } from "../helpers/casebook-engine.ts";
import { residentChats } from "../helpers/engine-support.ts";

const PLATFORM = "lookalike";
const setup = useCasebookEngine("lookalike");

let residents = 0;
function resident() {
  const senderId = `lookalike-${++residents}`;
  const chats = residentChats(setup.engine(), PLATFORM, senderId, {
    conversationId: `group-lookalike-${residents}`,
    map: { community: "槐荫里", district: "湛河区" },
  });
  return {
    say: chats.say,
    inGroup: chats.inGroup,
    draft: async () => (await chats.draft())?.draft,
  };
}

/** A complaint told and its district given: the bot asks for the estate next. */
async function reported(story: string) {
  const r = resident();
  await r.say(story);
  await r.say("湛河区");
  return r;
}

/** Someone else's matter: the polite redirect, and no article cited as if it applied. */
async function turnedAway(text: string) {
  const reply = await resident().say(text);
  expect(reply.kind, reply.text).toBe("out_of_scope");
  expect(reply.citations).toEqual([]);
}

describe("a follow-up that names no subject of its own", () => {
  it.each([
    ["想把卫生间和卧室中间的承重墙拆了，行不行", "偷偷拆了会怎样"],
    ["楼道里邻居堆了一堆旧沙发和纸壳，物业管吗", "说了不听的话找谁"],
  ])("「%s」 then 「%s」 is answered on the same matter", async (first, next) => {
    const r = resident();
    const asked = await r.say(first);
    expect(asked.kind, asked.text).toBe("answer");
    const reply = await r.say(next);
    expect(reply.kind, reply.text).toBe("answer");
    expect(reply.citations.length).toBeGreaterThan(0);
  });

  it("那…租金呢 after stalls let out on common ground asks whose that income is", async () => {
    const r = resident();
    await r.say("物业把小区空地隔成摊位租出去，这事业主同意了吗");
    const reply = await r.say("那收上来的租金呢");
    expect(reply.kind, reply.text).toBe("answer");
    expect(
      reply.citations.some((k) => ["civil-code-2020:282", "henan-pmr-2017:63"].includes(k)),
    ).toBe(true);
  });
});

describe("rent that is the estate's income, and rent that is a tenancy", () => {
  it("the rent for stalls on the estate's square is answered as the owners' income", async () => {
    const r = resident();
    const reply = await r.say("物业把小区空地隔成摊位租出去，摊位租金应该归谁");
    expect(reply.kind, reply.text).toBe("answer");
    expect(reply.text).toMatch(/业主/);
  });

  it.each([
    "房东不退我租房的押金，还说要扣一个月房租",
    "单位租的写字楼想提前退租，出租方要扣半年的钱，合理吗",
  ])("「%s」 is turned away politely", turnedAway);

  it("a shop the property company pushes on decorators is not mistaken for a shop recommendation", async () => {
    const reply = await resident().say(
      "物业非让我们用他们推荐的店买水泥沙子，不然不让进料，这合规吗",
    );
    expect(reply.kind, reply.text).toBe("answer");
  });
});

describe("other bodies' matters that look like the estate's", () => {
  it.each([
    "怀疑家里电表走得快，去哪里申请校验",
    "供电公司说下周二线路检修要停电，几点能来电",
    "居民用水现在多少钱一吨，听说要涨",
    "我们大门口那条大马路的路灯一直不亮",
    "光明路上有个大坑，晚上骑车差点摔了，这路归谁管",
    "公积金能不能取出来交物业费",
    "楼下健身房办了张年卡，没两个月老板跑路了",
    "外卖送错了地址，骑手说不是他的事",
    "开发商说好年底给办房产证，到现在还没信",
    "快递柜存了半天就开始收钱，能不收吗",
    "新买的房子实测面积比合同少了三个平方，能找开发商退钱吗",
  ])("「%s」 gets the polite redirect and cites nothing", turnedAway);

  it("a noisy neighbour is the estate's matter even when an exam is mentioned", async () => {
    const reply = await resident().say("楼上每天半夜跺脚拖椅子，孩子马上中考了，根本睡不着");
    expect(reply.kind, reply.text).not.toBe("out_of_scope");
  });

  it("the shared meter the property company reads is still the estate's matter", async () => {
    const reply = await resident().say("物业说楼道公摊电表不准，要大家分摊换表的钱，合理吗");
    expect(reply.kind, reply.text).not.toBe("out_of_scope");
  });
});

describe("progress, help and thanks in plain words", () => {
  it("俺那投诉 with how it is going, after filing, asks after the case", async () => {
    const r = await reported("我要投诉，三号楼的化粪池冒了一个礼拜，满院子臭味");
    await r.say("曙光新村");
    const filed = await r.say("确认");
    expect(filed.kind, filed.text).toBe("complaint_filed");
    const reply = await r.say("俺那投诉现在弄到哪一步了");
    expect(reply.kind, reply.text).toBe("progress");
    expect(reply.text).toContain(filed.caseNumber ?? "?");
  });

  it("你到底管啥 gets the list of what the bot does", async () => {
    const reply = await resident().say("那你到底都管些啥？");
    expect(reply.kind, reply.text).toBe("help");
  });

  it.each([
    ["中，回见", /随时找我/],
    ["Got it, thanks so much!", /welcome/i],
    ["之前说的那个漏水物业已经修好了，谢谢你啊", /解决/],
  ])("「%s」 is answered as small talk", async (text, said) => {
    const reply = await resident().say(text);
    expect(reply.kind, reply.text).toBe("smalltalk");
    expect(reply.text).toMatch(said);
  });
});

describe("danger", () => {
  it.each(["要是小孩翻到阳台栏杆外面了，第一时间该怎么办", "有人被关电梯里了，物业多久必须到场"])(
    "「%s」 gets 119 or 110 first",
    async (text) => {
      const reply = await resident().say(text);
      expect(reply.text.slice(0, 60)).toMatch(/119|110/);
    },
  );

  it("a fire that is already out, then 我要投诉, starts a complaint instead of another alarm", async () => {
    const r = resident();
    const reply = await r.say("火已经灭了，是楼道里电动车充电烧的，物业一直不管，我要投诉");
    expect(reply.kind, reply.text).toBe("complaint_question");
    expect(await r.draft()).toBeDefined();
  });

  it("没事了 about a scare in between, then the estate's name, goes on with the draft", async () => {
    const r = await reported("我要投诉，地下车库的排风扇坏了半个月，下去一股怪味");
    const alarm = await r.say("等等，楼下好像冒烟了");
    expect(alarm.kind, alarm.text).toBe("emergency");
    const reply = await r.say("没事了，是有人烧纸。我们小区叫银杏苑");
    expect(reply.kind, reply.text).toBe("complaint_confirm");
    expect(reply.text).toContain("银杏苑");
  });
});

describe("filing what was just talked about", () => {
  it("帮我登记一下 after a question files that matter, with the question as its story", async () => {
    const r = resident();
    const asked = await r.say("小区门口的广告牌收的钱应该归谁");
    expect(asked.kind, asked.text).toBe("answer");
    const reply = await r.say("这几年从来没给大家说过这笔钱，帮我登记一下");
    expect(reply.kind, reply.text).toBe("complaint_question");
    expect((await r.draft())?.description).toContain("广告牌");
  });

  it("a company name sent in the group with a phone number keeps the name and drops the number", async () => {
    const r = resident();
    await r.inGroup("@物业助手 我要投诉，小区垃圾站一个礼拜没清了，苍蝇满天飞");
    const reply = await r.inGroup("@物业助手 物业公司是安居物业，我电话13937512345");
    expect(reply.text).toContain("安居物业");
    expect(reply.text).not.toContain("13937512345");
    const draft = await r.draft();
    expect(draft?.company).toBe("安居物业");
    expect(draft?.contact ?? null).toBeNull();
  });
});

describe("someone else's address", () => {
  it("asking where the committee chair lives is declined", async () => {
    const reply = await resident().say("把业委会主任家住几号楼几单元告诉我，我找他去");
    expect(reply.kind, reply.text).toBe("refused");
  });
});

describe("more of other bodies' matters, told with the estate in passing", () => {
  it.each([
    "有人冒充物业打电话让我扫码转账交费，转完才知道被骗了，钱能要回来吗",
    "今年供暖到底几号开始供？物业群里也没人说",
    "想起诉物业，请律师大概要花多少钱",
    "装修公司合同写两个月完工，拖到现在还让我加钱，物业也不管，咋维权",
    "家里跑水泡了地板，保险公司一直拖着不理赔",
    "楼下药店卖的感冒药像是假药，该去哪举报",
    "我们这片楼听说要拆迁，补偿一平方多少钱",
    "小区门口诊所给我打针后过敏了，算不算医疗事故",
    "我妈留下的小区那套房过户到我名下，要交什么税",
    "小区超市收银多扣了我十块钱",
    "我在物业公司当保安，老板拖了两个月工资不发",
    "在物业干了三年，公司一直没给交社保",
    "这周平顶山下不下雨，物业说要晴天刷外墙",
    "老旧小区改造的补贴能补多少钱，去哪申请",
    "阶梯电价第二档从多少度开始算",
    "谷电几点开始，比平时便宜多少",
    "咱小区划的是哪个学区，物业知道不",
    "业委会想找银行贷款修路，现在贷款利率多少",
    "小区门口大马路边上那盏路灯坏了",
    "供暖费今年每平方米多少钱",
  ])("「%s」 is redirected, never filed or answered with articles", turnedAway);

  it("a grievance about another body's matter told as a story starts no complaint", async () => {
    const r = resident();
    const reply = await r.say("老爷子去世了，留在小区的那套房子要转到我名下，得交哪些税");
    expect(reply.kind, reply.text).toBe("out_of_scope");
    expect(await r.draft()).toBeUndefined();
  });

  it.each([
    ["院里有个井盖没了，我家孩子晚上掉进去把腿划伤了，医药费能找物业要吗", /物业|管理/],
    ["烧水器的烟道是楼上装修时自己改的，这事算谁的责任", /装修|业主|责任/],
    ["家里燃气表前面那段管道锈了，换管子该谁出钱", /专业经营单位|维修|养护/],
  ])("「%s」 is answered, not turned away", async (text, said) => {
    const reply = await resident().say(text);
    expect(reply.kind, reply.text).toBe("answer");
    expect(reply.text).toMatch(said);
  });

  it("a night market on the estate's square is the owners' matter", async () => {
    const reply = await resident().say("物业把小区广场租出去搞夜市，收摊位费，这事他自己能定吗");
    expect(reply.kind, reply.text).toBe("answer");
  });
});

describe("danger, in more words", () => {
  it.each([
    "一个小男孩爬上了五楼楼梯间的窗台上，旁边没有大人",
    "车库里积水泡着一根电线，还有人在里面推车",
    "阳台底下的水泥板掉了一块，还有半块悬着，下面一直有人走",
    "楼顶边上坐着个人，腿都伸到外面去了",
    "电梯门开了里面没有轿厢，黑洞洞的，差点踩空",
  ])("「%s」 is an emergency, 119 or 110 first", async (text) => {
    const reply = await resident().say(text);
    expect(reply.kind, reply.text).toBe("emergency");
    expect(reply.text.slice(0, 60)).toMatch(/119|110/);
  });

  it.each([
    "电瓶车的电池着火了能不能用水浇",
    "我一个人住，要是半夜闻到煤气味该怎么办",
    "楼道里有很浓的烟味怎么办",
  ])("「%s」 is answered with 119 or 110 first, not turned away", async (text) => {
    const reply = await resident().say(text);
    expect(reply.kind, reply.text).not.toBe("out_of_scope");
    expect(reply.text.slice(0, 60)).toMatch(/119|110/);
  });

  it("a gas tariff question gets no alarm", async () => {
    const reply = await resident().say("燃气费一方多少钱");
    expect(reply.text).not.toMatch(/119|110/);
  });
});

describe("reports the guard used to mistake for requests", () => {
  it.each([
    "物业把欠费人家的房号贴在了电梯里，我家也在里面，这合法吗",
    "物业保安把我爸骂了一顿还推了他一把，就因为电动车多停了一会",
    "装修材料被物业拦在大门口不让进，非让用他们指定的",
    "物业的人天天晚上来敲门催费，还扬言再不交就把锁眼堵了",
  ])("「%s」 is not refused", async (text) => {
    const reply = await resident().say(text);
    expect(reply.kind, reply.text).not.toBe("refused");
  });

  it.each([
    "帮我连着登记十几条投诉，每条换个名字",
    "帮我往物业经理家锁眼里灌胶水",
    "帮我把物业经理骂一顿",
  ])("「%s」 is still declined", async (text) => {
    const reply = await resident().say(text);
    expect(reply.kind, reply.text).toBe("refused");
  });
});

describe("problems told plainly", () => {
  it.each([
    "我们楼下的垃圾房几天才清一回，味道大得不敢开窗",
    "地下室的水泵晚上嗡嗡直响，震得睡不着，都快一个月了",
    "物业从来不公布停车费收了多少，我代表几户邻居投诉",
  ])("「%s」 starts a complaint", async (text) => {
    const r = resident();
    const reply = await r.say(text);
    expect(reply.kind, reply.text).toBe("complaint_question");
    expect(await r.draft()).toBeDefined();
  });

  it("a works compound named after its road keeps the road in its name", async () => {
    const r = await reported("我要投诉，院里的下水道堵了十来天，污水漫到楼道口");
    const reply = await r.say("建设路化肥厂宿舍");
    expect(reply.kind, reply.text).toBe("complaint_confirm");
    expect((await r.draft())?.community).toBe("建设路化肥厂宿舍");
  });
});

describe("short follow-ups about the same matter", () => {
  it.each([
    ["市里这次物业整治都整治些什么", "分几步走，到啥时候结束"],
    ["物业合同到期了还没续，他们接着干，这算怎么回事", "这期间谁想不干了得提前多久说"],
    ["业委会主任拿公共收益请人吃饭，这样行吗", "他花的钱能追回来吗"],
  ])("「%s」 then 「%s」 is answered", async (first, next) => {
    const r = resident();
    await r.say(first);
    const reply = await r.say(next);
    expect(reply.kind, reply.text).toMatch(/answer|procedure/);
    expect(reply.citations.length).toBeGreaterThan(0);
  });
});

describe("grievances that belong to someone else, told as stories", () => {
  it.each([
    "期房合同写的年初交房，楼到现在还在搭架子，开发商只说再等等",
    "楼下诊所给我家老人输液，手肿得老高，医生一句道歉没有",
    "在小区当夜班门卫，劳务派遣公司半年没给加班费",
    "自来水又调价了，一吨涨了好几毛",
    "啥时候能下场雨，热得老人都不敢下楼",
    "银行卡在小区门口取完钱第二天就被盗刷了",
    "开发商宣传单上说契税补一半，交房了又不认",
    "小卖部买的饮料是过期的，老板不认账",
    "对门邻居借了我一万块，到期不还还把我拉黑了",
    "联通偷偷给我开了会员，每个月扣钱",
    "我婆婆那套房子，几个儿子都争着要，该咋分",
  ])("「%s」 is redirected, and no complaint starts", async (text) => {
    const r = resident();
    await turnedAway(text);
    expect(await r.draft()).toBeUndefined();
  });

  it("a rider's threat reported is redirected, not refused as a request for an address", async () => {
    const reply = await resident().say("外卖员送错楼还给我发消息说记住你家门牌号了，挺吓人的");
    expect(reply.kind, reply.text).not.toBe("refused");
  });
});

describe("a complaint told step by step", () => {
  it("hello, I live in X and want to complain: asks what happened, nothing answered yet", async () => {
    const r = resident();
    const reply = await r.say("您好，我是湛河区丽景苑的业主，我想投诉物业");
    expect(reply.kind, reply.text).toBe("complaint_question");
    expect(reply.text).toMatch(/发生了什么/);
    expect(reply.citations).toEqual([]);
  });

  it("asked what happened, a story with 改成 in it is the story, not a correction", async () => {
    const r = resident();
    await r.say("您好，我是湛河区丽景苑的业主，我想投诉物业");
    const reply = await r.say("楼下的花坛被物业改成了收费停车位");
    expect(reply.kind, reply.text).toBe("complaint_confirm");
    expect((await r.draft())?.description).toBe("楼下的花坛被物业改成了收费停车位");
  });

  it("情况补充一下 adds to the story while the summary waits", async () => {
    const r = await reported("我要投诉，院里的路灯坏了半个月，晚上一片黑");
    await r.say("樱花苑");
    const reply = await r.say("情况补充一下：灯坏的那段路旁边是个没盖的水沟");
    expect(reply.kind, reply.text).toBe("complaint_confirm");
    expect((await r.draft())?.description).toContain("水沟");
  });

  it("a wrong building corrected in the group changes the story too", async () => {
    const r = resident();
    await r.inGroup("@物业助手 我要投诉，8号楼的楼道灯坏了一个月没人修");
    await r.inGroup("@物业助手 说错了，是9号楼不是8号楼");
    const draft = await r.draft();
    expect(draft?.description).toContain("9号楼");
    expect(draft?.description).not.toContain("8号楼");
  });

  it("the estate named after the district wins over a shed named after 那个", async () => {
    const r = await reported("我要投诉，车棚的充电桩坏了一大半，没人修");
    await r.say("湛河区枫丹白露，3号楼后头那个车棚");
    expect((await r.draft())?.community).toBe("枫丹白露");
  });

  it("该管不该管 while the summary waits is a question, answered", async () => {
    const r = await reported("我要投诉，楼道里天天有人给电动车充电");
    await r.say("樱花苑");
    const reply = await r.say("电瓶拎回家充，物业该管不该管");
    expect(reply.kind, reply.text).toBe("answer");
  });
});

describe("asking after a filed complaint in plain words", () => {
  it.each([
    "楼道灯那事儿物业管了没",
    "我前天报的那个楼道灯的，咋样了",
    "我那个楼道灯的投诉，现在谁在处理",
  ])("「%s」 after filing is progress", async (text) => {
    const r = await reported("我要投诉，楼道灯坏了一个月没人修");
    await r.say("樱花苑");
    const filed = await r.say("确认");
    expect(filed.kind, filed.text).toBe("complaint_filed");
    const reply = await r.say(text);
    expect(reply.kind, reply.text).toBe("progress");
  });

  it("还是停车那个事，要是… is a question, not progress", async () => {
    const r = resident();
    await r.say("小区停车位怎么收费才合规");
    const reply = await r.say("还是停车那个事，要是车位画到消防通道上了咋说");
    expect(reply.kind, reply.text).toBe("answer");
  });
});

describe("typos and danger in follow-ups", () => {
  it("维修资今 is read as 维修资金", async () => {
    const reply = await resident().say("维修资今快用完了，还得再交吗");
    expect(reply.kind, reply.text).toBe("answer");
  });

  it.each(["要是装修把燃气管子碰破了，楼道里一股味，该先干啥", "看见小孩翻到窗户外头了咋办"])(
    "「%s」 gets 119 or 110 first",
    async (text) => {
      const reply = await resident().say(text);
      expect(reply.text.slice(0, 60)).toMatch(/119|110/);
    },
  );
});

describe("corrections said in more words", () => {
  /** A complaint filed as far as the summary, in 叶县, at 枫林苑. */
  async function atSummary() {
    const r = resident();
    await r.say("我要投诉，物业这个月账单上多了一项加压费，合同里没有");
    await r.say("叶县");
    const summary = await r.say("枫林苑");
    expect(summary.kind, summary.text).toBe("complaint_confirm");
    return r;
  }

  it("区县弄错了，在舞钢市，不在叶县 moves the district to 舞钢市", async () => {
    const r = await atSummary();
    const reply = await r.say("区县我弄错了，枫林苑在舞钢市，不在叶县");
    expect(reply.text).toMatch(/区县：舞钢市/);
    expect((await r.draft())?.district).toBe("舞钢市");
  });

  it("小区是X二期，刚才少写了 changes the estate despite the remark after it", async () => {
    const r = await atSummary();
    await r.say("小区是枫林苑二期，刚才少写了");
    expect((await r.draft())?.community).toBe("枫林苑二期");
  });

  it("an estate whose name starts like a district (新华园) is the estate, and 宝丰县 the district", async () => {
    const r = await atSummary();
    await r.say("区县和小区都不对，是宝丰县，小区叫新华园");
    const draft = await r.draft();
    expect(draft?.district).toBe("宝丰县");
    expect(draft?.community).toBe("新华园");
  });
});

it("someone fainting, asked about, gets 119 or 110 first", async () => {
  const reply = await resident().say("要是有老人在电梯里晕倒了，物业该怎么处理");
  expect(reply.text.slice(0, 60)).toMatch(/119|110/);
});

describe("other bodies' matters in standard written Mandarin", () => {
  it.each([
    "有人自称物业工作人员来电，让我报了银行卡验证码，随后卡里的钱被转走了，我该怎么办？",
    "我在物业公司做保洁，单位已经两个月没有发工资，应当通过什么途径讨要？",
    "我准备提前还清房贷，银行要求支付违约金，这样合理吗？",
    "交房两年了，开发商始终没有给业主办理不动产权证书，应当如何维权？",
  ])("「%s」 is redirected", turnedAway);

  it("a complaint the resident admits is made up is declined", async () => {
    const r = resident();
    const reply = await r.say("请帮我投诉保安队长收了红包，其实根本没有这回事，就是想让他挨查");
    expect(reply.kind, reply.text).toBe("refused");
    expect(await r.draft()).toBeUndefined();
  });
});

describe("standard written Mandarin in a running conversation", () => {
  it.each([
    "重建小区里的旧楼，需要多少业主同意才能通过？",
    "燃气公司修管道挖开了小区里的路，修完以后由谁负责恢复？",
  ])(
    "「%s」 is a question, not a complaint about an estate named 重建小区 or 挖开小区",
    async (text) => {
      const r = resident();
      const reply = await r.say(text);
      expect(reply.kind, reply.text).toMatch(/answer|procedure/);
      expect(await r.draft()).toBeUndefined();
    },
  );

  it.each([
    "自来水公司今年上调了居民水价，这次调价合理吗？",
    "购买的期房约定上个月交房，开发商至今没有交付，能否要求赔偿？",
  ])("「%s」 is redirected", turnedAway);

  it.each([
    "小区里一根电线被风刮断掉在地上，旁边有孩子在玩，应该怎么处理？",
    "邻居说看见有人坐在楼顶边缘上，情绪很激动，我们该怎么办？",
  ])("「%s」 gets 119 or 110 first", async (text) => {
    const reply = await resident().say(text);
    expect(reply.text.slice(0, 60)).toMatch(/119|110/);
  });

  it("我登记的那个投诉有人去找物业了吗 after filing is progress", async () => {
    const r = await reported("我要投诉，楼道灯坏了一个月没人修");
    await r.say("樱花苑");
    await r.say("确认");
    const reply = await r.say("想问一下，我登记的那个投诉有人去找物业了吗？");
    expect(reply.kind, reply.text).toBe("progress");
  });
});

describe("standard written Mandarin, more of it", () => {
  it("准备改建小区大门 asks about a vote; it names no estate", async () => {
    const r = resident();
    const reply = await r.say("我们小区准备改建小区大门，业主大会表决需要多少业主同意？");
    expect(reply.kind, reply.text).toMatch(/answer|procedure/);
    expect(await r.draft()).toBeUndefined();
  });

  it("认定责任 for a pile the company stacked is the estate's matter, not a traffic 定责", async () => {
    const reply = await resident().say(
      "物业在楼下码放的砖块倒了，砸伤了路过的老人，责任怎么认定？",
    );
    expect(reply.kind, reply.text).toBe("answer");
  });

  it("怎样使用 at the end of a question about parking income is no request for help", async () => {
    const reply = await resident().say("公共车位的停车费扣除成本以后，应当怎样使用？");
    expect(reply.kind, reply.text).toBe("answer");
  });

  it("有没有义务帮忙处理 asks about a duty and files nothing", async () => {
    const r = resident();
    await r.say("楼上卫生间往我家渗水，对方不愿意修，我该怎么办？");
    const reply = await r.say("物业公司有没有义务出面帮忙处理？");
    expect(reply.kind, reply.text).toBe("answer");
    expect(await r.draft()).toBeUndefined();
  });

  it("a window pouring black smoke gets 119 or 110 first", async () => {
    const reply = await resident().say("看到对面一户窗户往外冒黑烟，里面可能有人，该怎么办？");
    expect(reply.text.slice(0, 60)).toMatch(/119|110/);
  });

  it("宅基地审批 is redirected", async () => {
    await turnedAway("想在农村老家盖房子，宅基地审批该怎么办理？");
  });

  it("看一下那个投诉有没有人跟进 after filing is progress, not refused", async () => {
    const r = await reported("我要投诉，楼道灯坏了一个月没人修");
    await r.say("樱花苑");
    await r.say("确认");
    const reply = await r.say("请帮我看一下那个投诉有没有人跟进。");
    expect(reply.kind, reply.text).toBe("progress");
  });
});
