/**
 * Grievances told rather than asked: anger at a shop or a carrier, a matter
 * whose other party is a bank, a seller or a relative. And the
 * complaint fields read from plain answers: a name introduced with 名称为, an
 * estate whose own name begins with 鹰城, a road said before the name, 请勿留名,
 * the power out in a whole stairwell. The real engine files into a real
 * Casebook on a SQLite file.
 */
import { describe, expect, it } from "vitest";
import { useGroupResidents } from "../helpers/group-residents.ts";

const { resident, turnedAway } = useGroupResidents("told", {
  community: "榆林苑",
  district: "卫东区",
});

describe("another party's matter, told angrily or in passing", () => {
  it.each([
    // Anger at a restaurant or a carrier is redirected, not probed for an estate problem.
    "小区对面那家米线店吃完闹肚子一整夜，店家不认账，气死我了",
    "楼下营业厅办的宽带套餐说好不收费，这个月扣了我六十，太坑了",
    // Who the grievance is against (a seller, a bank, an agent), with the estate only in passing.
    "在网上订的衣柜送到小区楼下，商家说不包上楼，要再加一百五",
    "我们楼下那家银行的柜员把我的转账办错了，到现在钱还没回来",
    "中介带着看了我们单元的一套房，没成交也要收看房费",
    // A relative's hold on the family flat.
    "我妈不在了，留下一套房子，我姐拿着房产证说是她的",
    // A part-time-job scam in the owners' chat is a scam, not a fabricated complaint.
    "业主群里有人拉我做兼职刷单，先交了两百押金，然后人就联系不上了",
    // A committee named only as who the resident is, or what the thing was for.
    "我在业委会当委员，单位领导嫌我开会耽误事，把我年终奖扣了",
    "业委会组织大家报了个旅行团，导游一路带着进店，不买就给脸色",
    "给业委会选举买的投票箱到手就坏了，商家说是运输问题让我去找快递",
    "我爸前阵子住院，出院账单上多了两项检查，医务科到现在也没给说法",
    "邻居托我给他家孩子补了一个月的课，钱到现在一分没给",
    "我把房子租出去，租客没打招呼又转租给了两家人",
  ])("「%s」 gets the redirect, and no draft", turnedAway);

  it("a grievance against the estate itself, told in anger, is still taken up", async () => {
    const r = resident();
    const reply = await r.say("物业把我们单元的楼道灯拆了一个月不装，气死了");
    expect(reply.kind, reply.text).toBe("complaint_question");
    expect(await r.draft()).toBeDefined();
  });
});

describe("what is neither a case nor a question", () => {
  it.each(["我刚办完装修登记，物业就说瓷砖只能买他们指定那家的", "这笔钱按规定应该花到哪儿"])(
    "「%s」 is not taken as asking after a complaint",
    async (text) => {
      const reply = await resident().say(text);
      expect(reply.kind, reply.text).not.toBe("progress");
    },
  );

  it("臭得不行 is how bad it smells, not a question: a complaint starts", async () => {
    const r = resident();
    const reply = await r.say("投诉物业，单元门口的垃圾四五天没人拉，熏得不行。");
    expect(reply.kind, reply.text).toBe("complaint_question");
  });

  it("以业主身份 in a question about voting is no role-play", async () => {
    const reply = await resident().say(
      "我外公的房子留给了我，还没过户，我能以业主身份去参加业主大会吗",
    );
    expect(reply.kind, reply.text).toBe("answer");
  });

  it("a shop's refund asked right after an answer with the offer to file is not filed", async () => {
    const r = resident();
    const asked = await r.say("物业每个月收的二次供水加压费，不公示账目，合理吗");
    expect(asked.kind, asked.text).toBe("answer");
    const reply = await r.say("还有，门口便利店卖给我过期面包死活不给退，你帮忙处理一下吧");
    expect(reply.kind, reply.text).toBe("out_of_scope");
    expect(await r.draft()).toBeUndefined();
  });

  it("a question with words the scope model never read still follows the one before", async () => {
    const r = resident();
    await r.say("楼顶防水坏了，想用维修资金修，要走什么程序");
    const reply = await r.say("汛期马上来了，能不能先把活干了再补签字？");
    expect(reply.kind, reply.text).toBe("answer");
  });
});

describe("a child outside the window", () => {
  it("a child climbed onto the air-conditioner bracket gets 119 or 110 first", async () => {
    const reply = await resident().say("隔壁单元有个小孩翻到空调外机上了，大人不在家，怎么办");
    expect(reply.kind, reply.text).toBe("emergency");
    expect(reply.text.slice(0, 60)).toMatch(/119|110/);
  });
});

describe("a complaint made at another desk", () => {
  it("asking when another department will answer a complaint made there is answered, not looked up", async () => {
    const reply = await resident().say(
      "我给街道办反映了单元门口堆杂物的事，一般要多长时间给我回复？",
    );
    expect(reply.kind, reply.text).toBe("answer");
  });
});

describe("a request to report, written with a colon", () => {
  it("举报一下： followed by what happened starts a complaint", async () => {
    const r = resident();
    const reply = await r.say("举报一下：物业的人说谁再往上反映就不给谁家开门禁卡");
    expect(reply.kind, reply.text).toBe("complaint_question");
    expect((await r.draft())?.description).toContain("门禁卡");
  });
});

describe("where to go, after a rule", () => {
  it("去哪儿反映 after a question on a company that will not hand over names the oversight bodies too", async () => {
    const r = resident();
    await r.say("原来的物业合同到期了还占着物业用房不交钥匙，能罚吗");
    const reply = await r.say("那到哪儿反映管用");
    expect(reply.kind, reply.text).toBe("answer");
    // The province's articles on which departments oversee property and take complaints.
    expect(reply.citations.some((k) => ["henan-pmr-2017:6", "henan-pmr-2017:75"].includes(k))).toBe(
      true,
    );
  });
});

describe("complaint fields from plain answers", () => {
  async function toldAndPlaced(story: string, place: string) {
    const r = resident();
    await r.say(story);
    await r.say(place);
    return r;
  }

  it("名称为 before the estate's name is not part of it", async () => {
    const r = await toldAndPlaced(
      "物业通知电梯费每月加二十，没开业主大会",
      "我住在新华区，小区在建设路边上，名称为锦荷雅苑",
    );
    expect((await r.draft())?.community).toBe("锦荷雅苑");
  });

  it("an estate whose own name begins with 鹰城 keeps it", async () => {
    const r = await toldAndPlaced("小区消防栓全是空的，拧开没水", "湛河区");
    await r.say("鹰城名座");
    expect((await r.draft())?.community).toBe("鹰城名座");
  });

  it("the road said before the name (X路上的Y) is not the name", async () => {
    const r = await toldAndPlaced("楼顶的太阳能架子松了，风一吹就晃", "卫东区");
    await r.say("小区：开源路上的和园");
    expect((await r.draft())?.community).toBe("和园");
  });

  it("请勿留名 asks not to be named", async () => {
    const r = await toldAndPlaced("小区的化粪池满了往外冒，半个月没人来抽", "石龙区");
    await r.say("龙山苑");
    await r.say("请勿留名");
    expect((await r.draft())?.anonymous).toBe(true);
  });

  it("the lights and the lift of a whole stairwell without power is high urgency", async () => {
    const r = resident();
    await r.say("楼道灯和门禁全都没电，物业让等着");
    expect((await r.draft())?.urgency).toBe("high");
  });
});

describe("premises the sources do not govern", () => {
  it.each([
    "厂里新装的刷脸门禁，晚刷一分钟就扣三十，机器坏了也算我迟到",
    "银行营业厅的监控拍到有人拿错了我的包，银行不给看录像",
    "村里今年每户收一百块清洁费，我家常年在外打工也要交",
    "商场地库出口收费员不认停车小票，多收了二十",
    "今年冬天集中供暖每平方米收多少钱",
    "社区卫生服务中心的免费体检在哪预约",
  ])("「%s」 is redirected", turnedAway);

  it("fire safety at a workplace is still answered: the fire regulation governs every unit", async () => {
    const reply = await resident().say("单位仓库里的灭火器全过期了，按规定谁该负责更换");
    expect(reply.kind, reply.text).toBe("answer");
  });

  it("a restaurant asked about right after a flat turned into one is still that flat", async () => {
    const r = resident();
    await r.say("二楼有户把住房改成了饭馆，天天油烟，这样合法吗");
    const reply = await r.say("那他开饭馆得经过谁同意？");
    expect(reply.kind, reply.text).toBe("answer");
  });

  it("the utility's price asked about the estate's own surcharge is the estate's matter", async () => {
    const reply = await resident().say("物业代收水费，每吨比自来水公司多收五毛，说是手续费");
    expect(reply.kind, reply.text).not.toBe("out_of_scope");
  });
});

describe("words that look like something else", () => {
  it("一下雨就漏 is a leak, not a forecast", async () => {
    const reply = await resident().say("这几天一下雨顶楼就往屋里滴水，物业说屋面得大家凑钱修");
    expect(reply.kind, reply.text).not.toBe("out_of_scope");
  });

  it("money taken from one's bank card (卡里) is not someone stuck inside something", async () => {
    const reply = await resident().say("在小区门口取款机取钱忘了拔卡，我卡里的钱被人取走了");
    expect(reply.kind, reply.text).not.toBe("emergency");
  });

  it("你都能帮大家解决哪些方面的问题 asks for help", async () => {
    const reply = await resident().say("请问你都能帮大家解决哪些方面的问题？");
    expect(reply.kind, reply.text).toBe("help");
  });

  it("这种情况下小区… asks about a situation and names no estate", async () => {
    const r = resident();
    const reply = await r.say("我们是没人管的老小区，请问这种情况下小区的卫生该由谁负责？");
    expect(reply.kind, reply.text).toBe("answer");
    expect(await r.draft()).toBeUndefined();
  });

  it("a company that posted owners' phone numbers is reported, not a request for them", async () => {
    const reply = await resident().say(
      "我要投诉，物业把欠费业主的名字和电话号码都贴在电梯里了，我的号码也在上面",
    );
    expect(reply.kind, reply.text).toBe("complaint_question");
  });

  it("a county called one's home town is not the district the estate is in", async () => {
    const r = resident();
    await r.say("物业把小区里一块绿地围起来收停车费，也不开业主大会");
    await r.say("小区在鲁山县，叫翠竹苑");
    await r.say("不对，我说错了，小区在叶县，鲁山县是我老家");
    expect((await r.draft())?.district).toBe("叶县");
  });
});

describe("police, lost-and-found and private dealings beside the estate", () => {
  it.each([
    "昨晚大门口夜宵摊有人打架，我被误伤了，药费找谁出",
    "对门那人喝了酒就扬言要找人收拾我，好几次了",
    "楼里有人吸毒被抓了，他家里人问戒毒要多久",
    "借了我家梯子用完还回来就坏了，他说本来就这样",
    "在单元门口捡到个钱包，里面有身份证，交给谁",
    "我家鹦鹉飞出去了，黄绿色的，谁看见了帮忙留一下",
    "邻居把他的二手车卖给我了，过户要去车管所吗",
    "家里的狗该打狂犬疫苗了，哪里能打",
  ])("「%s」 is redirected", turnedAway);

  it.each([
    "邻居家的狗在单元门口咬了我，打狂犬疫苗花了八百，狗主人不认",
    "楼上租客老往楼下倒污水，房东说他管不了租客",
    "修管子借俺家院子过，把院里的菜都踩坏了，能让他赔吗",
  ])("「%s」 is still the estate's or the neighbours' matter", async (text) => {
    const reply = await resident().say(text);
    expect(reply.kind, reply.text).not.toBe("out_of_scope");
  });
});
