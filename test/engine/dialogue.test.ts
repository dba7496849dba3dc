/**
 * The conversation as a resident lives it (issue 9: a straight answer first,
 * a complaint only when the resident means one): many questions in one chat,
 * a question while a complaint draft waits, what goes into the description,
 * corrections, asking after a filed case, help, and the group length limit
 * with 「详细」 for the rest. The real engine, the shipped knowledge base and a
 * real Casebook on a SQLite file.
 *
 * The wording of every message here is our own; expected facts come from the
 * law text (via the index), from the casebook, or from what the resident said.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { privateKey } from "../../bot/conversation-keys.ts";
import { type ConversationState, MemoryConversationStore } from "../../bot/conversation-state.ts";
import { createEngine, type Engine } from "../../bot/engine.ts";
import type { Reply } from "../../bot/message.ts";
import type { KnowledgeBase } from "../../knowledge/knowledge-base.ts";
import { unitText } from "../../knowledge/unit.ts";
import {
  DISCLAIMER_ANYWHERE,
  OFFER_TO_FILE,
  PENDING_LINE,
  quotedFragments,
  residentChats,
  squeeze,
} from "../helpers/engine-support.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";
import {
  assertNoPhone,
  guardGroupReplies,
  type RecordingLogger,
  recordingLogger,
} from "../helpers/logging.ts";

const PLATFORM = "dialogue";
const GROUP = { community: "鹰城花园", district: "新华区" };
const GROUP_MAX = 300;
const PRIVATE_MAX = 800;

let kb: KnowledgeBase;
let dir: string;
let casebook: Casebook;
let engine: Engine;
let log: RecordingLogger;

beforeAll(async () => {
  kb = await shippedKnowledgeBase();
  dir = mkdtempSync(join(tmpdir(), "wuye-dialogue-"));
  casebook = new Casebook(join(dir, "cases.sqlite"));
  log = recordingLogger();
  engine = guardGroupReplies(
    createEngine({
      knowledge: kb,
      desk: casebook,
      conversations: casebook.conversations(),
      logger: log,
    }),
    log,
  );
});

afterAll(() => {
  casebook?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  for (const l of log.lines) assertNoPhone(l.line, "a log line");
});

let residents = 0;
function resident() {
  const senderId = `dialogue-${++residents}`;
  const chats = residentChats(engine, PLATFORM, senderId, {
    conversationId: "group-dialogue",
    map: GROUP,
  });
  return { senderId, ...chats };
}

/** Kinds that mean the bot has started, or is running, a complaint. */
const COMPLAINT_STEP = /^complaint_|^emergency$/;

/** The field names a resident reads in the pending line, written here from the wording residents see. */
const pendingLines = (text: string) => text.match(PENDING_LINE) ?? [];

/** Every quoted fragment of a reply is published text of one of the units it cites. */
function expectVerbatim(reply: Reply): void {
  const cited = reply.citations.map((k) => squeeze(unitText(kb.unit(k) ?? missing(k))));
  for (const f of quotedFragments(reply.text))
    expect(
      cited.some((t) => t.includes(squeeze(f))),
      f,
    ).toBe(true);
}

function missing(key: string): never {
  throw new Error(`${key} is not in the index`);
}

/** Drives a new complaint to the summary: problem, district, community, anonymous. */
async function toSummary(r: ReturnType<typeof resident>, problem: string): Promise<Reply> {
  let reply = await r.say(problem);
  expect(reply.kind, reply.text).toMatch(/^complaint_/);
  const answers: Record<string, string> = {
    哪个区县: "卫东区",
    哪个小区: "小区是建业桂园",
    手机号: "匿名",
    发生了什么: "物业一直不处理，已经快一个月了",
  };
  for (let i = 0; i < 6 && reply.kind === "complaint_question"; i++) {
    const asked = Object.keys(answers).find((k) => reply.text.includes(k));
    expect(asked, reply.text).toBeDefined();
    reply = await r.say(answers[asked ?? ""] ?? "");
  }
  expect(reply.kind, reply.text).toBe("complaint_confirm");
  return reply;
}

const THIRTY_QUESTIONS = [
  "物业费的收费标准是谁定的",
  "车位只租不卖，开发商这样做合法吗",
  "业委会委员任期几年",
  "小区公共收益归谁所有？",
  "楼上装修，晚上十点以后还能施工吗",
  "电梯大修的钱应该谁出",
  "物业合同到期了，业主能不能换一家物业",
  "前期物业是谁选的",
  "业主有权查看物业的收支账目吗",
  "小区里允许养大型犬吗",
  "开发商没交维修基金，业主该找谁",
  "欠了物业费，物业能把我的门禁卡停用吗？",
  "当业委会委员需要满足什么条件",
  "电动车能放在楼道里充电吗",
  "换物业的时候，老物业要移交哪些资料？",
  "小区绿地改成停车位需要业主同意吗",
  "外墙瓷砖掉下来砸坏了车，谁来赔",
  "物业公司退出小区要提前多久告知业主",
  "业主大会的决定对没投票的业主也有效吗",
  "物业在电梯里装广告屏，收益该给谁",
  "租房的人要不要交物业费",
  "物业服务很差，可以少交一部分物业费吗",
  "保安和业主起冲突动手，物业要承担责任吗",
  "维修资金存在银行的利息归谁",
  "业委会能不能自己决定跟物业续签合同",
  "交房时物业要求交装修押金，这合理吗",
  "顶楼业主能在楼顶平台上搭房子吗",
  "物业管理区域是按什么划分的",
  "业主大会多长时间开一次",
  "成立业委会的流程是什么",
];

describe("many questions in one private chat", () => {
  it("30 different questions in a row never start a complaint", async () => {
    expect(new Set(THIRTY_QUESTIONS).size).toBe(30);
    const r = resident();
    const wrong: string[] = [];
    for (const q of THIRTY_QUESTIONS) {
      const reply = await r.say(q);
      if (COMPLAINT_STEP.test(reply.kind) || pendingLines(reply.text).length > 0)
        wrong.push(`${q} → ${reply.kind}: ${reply.text.slice(0, 60)}`);
      expect(reply.text.length, q).toBeLessThanOrEqual(PRIVATE_MAX);
    }
    expect(wrong).toEqual([]);
    expect(await r.draft()).toBeUndefined();
  });

  it("asks nothing of a question about how things work: no offer to file a complaint", async () => {
    // None of these tells of a problem; an offer to turn them into a complaint makes no sense.
    const wrong: string[] = [];
    for (const q of [
      "业委会委员任期几年",
      "物业管理区域是按什么划分的",
      "业主大会多长时间开一次",
      "业主大会的会议记录谁来保管",
    ]) {
      const reply = await resident().say(q);
      if (reply.kind !== "answer" || OFFER_TO_FILE.test(reply.text))
        wrong.push(`${q} → ${reply.kind}: …${reply.text.slice(-40)}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("answers lead with the answer", () => {
  it("a yes/no question the rule prohibits opens with 不能 and the prohibiting article", async () => {
    // 河南条例第五十七条 forbids keeping large dogs in a managed area.
    const rule = unitText(kb.unit("henan-pmr-2017:57") ?? missing("henan-pmr-2017:57"));
    expect(rule).toMatch(/禁止[^。]*大型犬/);
    const reply = await resident().say("我们小区能不能养大型犬");
    expect(reply.kind).toBe("answer");
    expect(reply.citations).toContain("henan-pmr-2017:57");
    // The first line answers: a plain 不能, or a reviewed conclusion that says it is forbidden.
    const first = reply.text.split("\n")[0] ?? "";
    expect(first).toMatch(/^不能|禁止|不得|不准/);
    expect(reply.text).toContain(kb.citation("henan-pmr-2017:57"));
    expectVerbatim(reply);
  });

  it("a question that is not yes/no is not answered with 不能", async () => {
    const reply = await resident().say("维修资金存在银行产生的利息归谁");
    expect(reply.kind).toBe("answer");
    expect(reply.text).not.toMatch(/^不能/);
    expect(reply.text).toContain("依据：");
    expectVerbatim(reply);
  });
});

describe("a question while a complaint draft waits", () => {
  it("is answered in full; the draft stays and one closing line says what is missing", async () => {
    const r = resident();
    const problem = "我要投诉，物业把单元门的门禁拆了两个星期也不装新的，外人随便进";
    const opened = await r.say(problem);
    expect(opened.kind).toBe("complaint_question");
    const before = await r.draft();
    expect(before?.draft.description).toContain("门禁");

    const reply = await r.say("物业能不能擅自占用小区的消防通道收停车费？");
    expect(reply.kind).toBe("answer");
    expect(reply.citations.length).toBeGreaterThan(0);
    expectVerbatim(reply);
    expect(reply.text).toContain("依据：");
    expect(reply.text).toMatch(DISCLAIMER_ANYWHERE);
    expect(reply.text.length).toBeLessThanOrEqual(PRIVATE_MAX);
    // Exactly one closing line, the last one, naming what the complaint still needs…
    const lines = pendingLines(reply.text);
    expect(lines).toHaveLength(1);
    expect(reply.text.trim().endsWith(lines[0] ?? "?")).toBe(true);
    expect(lines[0]).toMatch(/还差：.*(区县|小区|联系方式)/);
    // …and nothing else asking the resident to decide about a complaint.
    expect(reply.text).not.toMatch(OFFER_TO_FILE);

    const after = await r.draft();
    expect(after?.draft.description).toBe(before?.draft.description);
    expect(after?.draft.community ?? null).toBe(before?.draft.community ?? null);
    expect(after?.draft.company ?? null).toBe(before?.draft.company ?? null);
  });

  it("questions with 小区/物业是 in them are answered, not taken as corrections of the draft", async () => {
    const r = resident();
    await r.say("我要投诉，楼下的垃圾桶满了一个星期没人清，臭得不行");
    const before = (await r.draft())?.draft;
    for (const q of ["小区绿地改成停车位需要业主同意吗", "前期物业是谁选的"]) {
      const reply = await r.say(q);
      expect(reply.kind, `${q} → ${reply.text}`).not.toMatch(COMPLAINT_STEP);
      expect(reply.text).not.toContain("已更新");
    }
    const after = (await r.draft())?.draft;
    expect(after?.community).toBe(before?.community);
    expect(after?.company).toBe(before?.company);
  });

  it("while the summary waits, an answer closes with one line asking to 确认, and 确认 then files", async () => {
    const r = resident();
    await toSummary(r, "我要投诉，小区地下车库漏水半个月了，物业一直不修");
    const reply = await r.say("业主可以自己请人修公共管道，再找物业报销吗？");
    expect(reply.kind).not.toMatch(COMPLAINT_STEP);
    const lines = pendingLines(reply.text);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("确认");
    const filed = await r.say("确认");
    expect(filed.kind).toBe("complaint_filed");
    expect(casebook.byNumber(filed.caseNumber ?? "")?.complaint.description).toContain("漏水");
  });

  it("help and progress are answered while the draft waits, and the draft stays", async () => {
    const r = resident();
    await r.say("投诉：物业把小区里的健身器材拆走了，说是要改成收费停车场");
    const help = await r.say("帮助");
    expect(help.kind).toBe("help");
    expect(pendingLines(help.text)).toHaveLength(1);
    const progress = await r.say("查询进度");
    expect(progress.kind).toBe("progress");
    expect(pendingLines(progress.text)).toHaveLength(1);
    expect((await r.draft())?.draft.description).toContain("健身器材");
  });

  it("确认 before the draft is complete says what is still missing, not that it is off topic", async () => {
    const r = resident();
    await r.say("我要投诉，物业把小区大门的道闸坏了一个月都不修");
    const reply = await r.say("确认");
    expect(reply.kind).not.toBe("out_of_scope");
    expect(reply.text).not.toMatch(/只能解答/);
    expect(reply.text).toMatch(/区县|小区|联系方式|手机号/);
    expect(await r.draft()).toBeDefined();
  });

  it("takes a short name given in reply to 哪个小区 as the community", async () => {
    const r = resident();
    let reply = await r.say("我要投诉，物业把楼道的声控灯全拆了，晚上上楼一片黑");
    if (/哪个区县/.test(reply.text)) reply = await r.say("湛河区");
    expect(reply.text).toMatch(/哪个小区/);
    reply = await r.say("绿城百合");
    expect(reply.kind, reply.text).toMatch(/^complaint_/);
    expect((await r.draft())?.draft.community).toContain("绿城百合");
  });
  it.each(["对了，楼道里的灭火器也都过期了", "还有，单元门口的监控探头也被拆掉了"])(
    "more of the same story told midway joins the description: %s",
    async (more) => {
      const r = resident();
      await r.say("我要投诉，物业把小区的消防通道锁死了，车都开不进去");
      const reply = await r.say(more);
      expect(reply.kind, reply.text).toBe("complaint_question");
      expect(pendingLines(reply.text)).toEqual([]);
      const description = (await r.draft())?.draft.description ?? "";
      expect(description).toContain("消防通道");
      expect(description).toContain(more.replace(/^(对了|还有)，/, ""));
    },
  );
});

describe("what goes into the description", () => {
  it("holds the problem only: not earlier questions, not the district, the name, 匿名 or a question asked midway", async () => {
    const r = resident();
    const earlier = ["物业费的收费标准是谁定的", "业主能不能自己更换单元门锁"];
    for (const q of earlier) expect((await r.say(q)).kind).not.toMatch(COMPLAINT_STEP);
    const problem = "我要投诉，小区二号楼的消防栓被物业拆掉了一个多月，一直没装回去";
    await r.say(problem);
    const midway = "消防设施归谁管？";
    await r.say(midway);
    const summary = await toSummary(r, "补充一下，楼道里的灭火器也一直没人换，好几个月了");
    expect(summary.text).toContain("消防栓");
    const filed = await r.say("确认");
    expect(filed.kind).toBe("complaint_filed");
    const description = casebook.byNumber(filed.caseNumber ?? "")?.complaint.description ?? "";
    expect(description).toContain("消防栓");
    expect(description).toContain("灭火器");
    for (const q of [...earlier, midway]) expect(description).not.toContain(q);
    expect(description).not.toMatch(/^卫东区$|^匿名$|建业桂园/m);
  });

  it("a yes to the offer files the problem that was asked about, and only that", async () => {
    const r = resident();
    await r.say("业委会选举有什么规定");
    const question = "物业把我家的水停了，说我欠费，这样做合法吗？";
    const answer = await r.say(question);
    expect(answer.kind).toBe("answer");
    expect(answer.text).toMatch(OFFER_TO_FILE);
    const yes = await r.say("好");
    expect(yes.kind).toBe("complaint_question");
    const draft = (await r.draft())?.draft;
    expect(draft?.description).toContain("停了");
    expect(draft?.description).not.toContain("业委会选举");
  });

  it("an offer not taken up in the next message is gone: the next message is handled fresh", async () => {
    const r = resident();
    const answer = await r.say("物业因为我欠费把我家电停了，这合法吗？");
    expect(answer.text).toMatch(OFFER_TO_FILE);
    const next = await r.say("业主大会的会议记录谁来保管");
    expect(next.kind).toBe("answer");
    expect(next.citations.length).toBeGreaterThan(0);
    expect(await r.draft()).toBeUndefined();

    const other = resident();
    expect((await other.say("物业因为我欠费把我家电停了，这合法吗？")).text).toMatch(OFFER_TO_FILE);
    expect((await other.say("谢谢")).kind).not.toMatch(COMPLAINT_STEP);
    // The yes comes one message too late: the offer was for the message before 谢谢.
    const late = await other.say("好");
    expect(late.kind).not.toMatch(COMPLAINT_STEP);
    expect(await other.draft()).toBeUndefined();
  });
});

describe("corrections at the summary", () => {
  it("each correction shows the new value in the summary, says 已更新 only when something changed, and is filed", async () => {
    const r = resident();
    await toSummary(r, "我要投诉，物业私自把小区的公共绿地租给别人摆摊，已经两个月了");

    let reply = await r.say("小区写错了，是金色港湾");
    expect(reply.kind).toBe("complaint_confirm");
    expect(reply.text).toContain("已更新");
    expect(reply.text).toMatch(/小区：金色港湾/);
    expect(reply.text).not.toContain("建业桂园");

    reply = await r.say("不是卫东区，是湛河区");
    expect(reply.kind).toBe("complaint_confirm");
    expect(reply.text).toMatch(/区县：湛河区/);
    expect(reply.text).not.toMatch(/区县：卫东区/);

    reply = await r.say("物业公司是鹰城佳美物业服务有限公司");
    expect(reply.kind).toBe("complaint_confirm");
    expect(reply.text).toContain("鹰城佳美物业服务有限公司");

    reply = await r.say("情况是物业把东门旁边的绿地围起来出租给商贩，每天晚上吵到十一点");
    expect(reply.kind).toBe("complaint_confirm");
    expect(reply.text).toContain("围起来出租给商贩");
    expect(reply.text).not.toContain("摆摊");

    // The same value again changes nothing, and the reply does not pretend it did.
    reply = await r.say("区县是湛河区");
    expect(reply.kind).toBe("complaint_confirm");
    expect(reply.text).not.toContain("已更新");
    expect(reply.text).toMatch(/区县：湛河区/);

    const filed = await r.say("确认");
    expect(filed.kind).toBe("complaint_filed");
    const c = casebook.byNumber(filed.caseNumber ?? "")?.complaint;
    expect(c?.community).toBe("金色港湾");
    expect(c?.district).toBe("湛河区");
    expect(c?.company).toContain("鹰城佳美");
    expect(c?.description).toContain("围起来出租给商贩");
  });
});

describe("asking after a filed complaint", () => {
  it("进度 / 查询进度 / 我的投诉现在怎么样了 find the resident's case and never open a complaint", async () => {
    const r = resident();
    await toSummary(r, "我要投诉，小区的路灯坏了二十多天，物业说没钱修");
    const filed = await r.say("确认");
    expect(filed.kind).toBe("complaint_filed");
    const number = filed.caseNumber ?? "";
    expect(number).not.toBe("");
    for (const ask of ["进度", "查询进度", "我的投诉现在怎么样了", "上次反映的问题有人管了吗"]) {
      const reply = await r.say(ask);
      expect(reply.kind, `${ask} → ${reply.text}`).toBe("progress");
      expect(reply.text, ask).toContain(number);
    }
    expect(await r.draft()).toBeUndefined();
  });

  it("another resident asking the same gets their own (none), never someone else's case", async () => {
    const owner = resident();
    await toSummary(owner, "我要投诉，物业把单元楼顶的防水层弄坏了，下雨天家里一直渗水");
    const filed = await owner.say("确认");
    const other = resident();
    const reply = await other.say("我的投诉现在怎么样了");
    expect(reply.kind).toBe("progress");
    expect(reply.text).not.toContain(filed.caseNumber ?? "?");
    expect(reply.text).toMatch(/没有/);
    expect(await other.draft()).toBeUndefined();
  });
});

describe("help", () => {
  it.each(["帮助", "help", "菜单", "你能做什么"])("%s gives the help reply", async (text) => {
    const r = resident();
    const reply = await r.say(text);
    expect(reply.kind).toBe("help");
    // What the bot does, in the resident's words: answer questions with the article, file complaints.
    expect(reply.text).toMatch(/条文|依据|规定/);
    expect(reply.text).toContain("投诉");
    expect(reply.citations).toEqual([]);
    expect(await r.draft()).toBeUndefined();
  });
});

describe("a group chat", () => {
  const GROUP_QUESTIONS = [
    "物业能因为业主没交物业费就停他家的电吗",
    "小区公共区域的广告收入应该归谁",
    "业主大会做出的决定，业主可以去法院撤销吗",
  ];

  it.each(GROUP_QUESTIONS)(
    "keeps the reply within 300 characters, and 详细 gives the whole answer: %s",
    async (q) => {
      const r = resident();
      const short = await r.inGroup(q);
      expect(short.kind).toBe("answer");
      expect(short.text.length).toBeLessThanOrEqual(GROUP_MAX);
      expect(short.citations.length).toBeGreaterThan(0);
      expectVerbatim(short);
      expect(short.text).toMatch(DISCLAIMER_ANYWHERE);
      const more = await r.inGroup("详细");
      expect(more.kind).toBe("answer");
      expect(more.citations).toEqual(short.citations);
      expectVerbatim(more);
      if (short.text.includes("「详细」")) {
        // Shortened: the fuller answer says more, and keeps every quotation the short one had.
        expect(more.text.length).toBeGreaterThan(short.text.length);
        for (const f of quotedFragments(short.text)) expect(more.text).toContain(f);
      }
    },
  );

  it("at least one of those answers had to be shortened, so 详细 was really exercised", async () => {
    let shortened = 0;
    for (const q of GROUP_QUESTIONS) {
      const reply = await resident().inGroup(q);
      if (reply.text.includes("「详细」")) shortened++;
    }
    expect(shortened).toBeGreaterThan(0);
  });

  it("keeps a procedure within 300 characters, and 详细 sends the remaining steps", async () => {
    const r = resident();
    const short = await r.inGroup("业主想换物业，流程是什么");
    expect(short.kind).toBe("procedure");
    expect(short.text.length).toBeLessThanOrEqual(GROUP_MAX);
    const stepsOf = (t: string) => t.split("\n").filter((l) => /^\d+[.、．]/.test(l));
    const more = await r.inGroup("详细");
    expect(stepsOf(more.text).length).toBeGreaterThan(stepsOf(short.text).length);
    expect(short.text).toContain("「详细」");
  });

  it("a problem told in the group starts the complaint privately; the group reply stays short", async () => {
    const r = resident();
    const reply = await r.inGroup("我要投诉，物业把小区东门锁了三天，老人进出要绕一大圈");
    expect(reply.kind).toBe("complaint_question");
    expect(reply.text.length).toBeLessThanOrEqual(GROUP_MAX);
    expect(reply.privateText).toBeDefined();
    expect(reply.text).not.toMatch(/手机号|哪个区县/);
  });
});

describe("emergencies", () => {
  it("a danger happening now: the reply's kind is emergency and its first line is 119/110", async () => {
    const r = resident();
    const reply = await r.say("快来人！地下室电动车棚冒黑烟了，还有火苗");
    expect(reply.kind).toBe("emergency");
    expect(reply.text.split("\n")[0]).toMatch(/119|110/);
  });

  it("a danger asked about as a hypothetical is answered, not treated as an emergency", async () => {
    const r = resident();
    const reply = await r.say("如果小区发生火灾，物业要承担什么责任？");
    expect(reply.kind).not.toMatch(COMPLAINT_STEP);
  });
});

describe("conversation state kept between messages", () => {
  it("a conversation stored by an older version starts afresh instead of failing", async () => {
    const store = new MemoryConversationStore();
    const old = createEngine({ knowledge: kb, desk: casebook, conversations: store });
    const who = { platform: PLATFORM, senderId: "stored-v1" };
    const key = privateKey(who);
    // What an earlier release wrote: no version and a draft of another shape.
    await store.set(key, {
      lastCitations: ["no-such-doc:1"],
      intake: { stage: "asking", fields: { where: "某处" } },
      updatedAt: Date.now(),
    } as unknown as ConversationState);
    const reply = await old.handle({
      ...who,
      conversationId: "dm-stored-v1",
      chatType: "private",
      text: "业主大会的会议记录谁来保管",
    });
    expect(reply.kind).not.toMatch(COMPLAINT_STEP);
    expect(pendingLines(reply.text)).toEqual([]);
    expect(reply.citations.every((k) => kb.unit(k) !== undefined)).toBe(true);
    expect(await old.draftFor(PLATFORM, "stored-v1")).toBeUndefined();
  });
});
