/**
 * Complaint intake end to end: the real engine, the shipped knowledge base and
 * a real Casebook on a SQLite file in a temporary folder. Every engine logs to
 * the recording logger, and every group reply passes the phone guard.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { CATEGORY_PLAN_KEY, type FiledCase } from "../../bot/complaint.ts";
import { createEngine, type Engine } from "../../bot/engine.ts";
import type { IncomingMessage, Reply } from "../../bot/message.ts";
import type { KnowledgeBase } from "../../knowledge/knowledge-base.ts";
import { residentChats } from "../helpers/engine-support.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";
import {
  assertNoPhone,
  guardGroupReplies,
  type RecordingLogger,
  recordingLogger,
} from "../helpers/logging.ts";

const PLATFORM = "test";
const GROUP = { community: "鹰城花园", district: "新华区" };

let kb: KnowledgeBase;
let dir: string;
let casebook: Casebook;
let engine: Engine;
let log: RecordingLogger;

beforeAll(async () => {
  kb = await shippedKnowledgeBase();
  dir = mkdtempSync(join(tmpdir(), "wuye-intake-"));
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

// Nothing any test made the engine log may hold a phone number (the global teardown re-checks the files).
afterEach(() => {
  for (const l of log.lines) assertNoPhone(l.line, "a log line");
});

let residents = 0;
/** A resident of their own, so tests sharing the casebook never share a conversation. */
function resident(prefix = "resident") {
  const senderId = `${prefix}-${++residents}`;
  const chats = residentChats(engine, PLATFORM, senderId, {
    conversationId: "group-yingcheng",
    map: GROUP,
  });
  return { senderId, ...chats };
}

/**
 * The intake questions a reply asks, recognised by their wording (written
 * here, not imported, so a reworded question shows up as a test failure).
 */
function questionsIn(text: string): string[] {
  const asked: string[] = [];
  if (/哪个区县/.test(text)) asked.push("district");
  if (/哪个小区/.test(text)) asked.push("community");
  if (/手机号|称呼|姓名/.test(text)) asked.push("contact");
  if (/发生了什么/.test(text)) asked.push("description");
  return asked;
}

function casesFrom(senderId: string): number {
  const row = casebook.db
    .prepare("SELECT COUNT(*) AS n FROM cases WHERE origin_sender = ?")
    .get(senderId) as { n: number };
  return row.n;
}

/** The checks every filed case must pass, whatever the flow that filed it. */
function expectWellFiled(reply: Reply, store: Casebook = casebook): FiledCase {
  expect(reply.kind).toBe("complaint_filed");
  expect(reply.caseNumber).toMatch(/^PDS-\d{8}-\d{4}$/);
  expect(reply.text).toContain(reply.caseNumber);
  const filed = store.byNumber(reply.caseNumber ?? "");
  if (!filed) throw new Error(`case ${reply.caseNumber} is not in the casebook`);
  // The number carries the (UTC) day the case was filed.
  expect(filed.number.slice(4, 12)).toBe(filed.createdAt.slice(0, 10).replace(/-/g, ""));
  const c = filed.complaint;
  expect(c.category).not.toBeNull();
  expect(c.legal_basis.length).toBeGreaterThan(0);
  for (const key of c.legal_basis) expect(kb.unit(key), `citation ${key}`).toBeDefined();
  const planKey = c.category ? CATEGORY_PLAN_KEY[c.category] : undefined;
  if (planKey) expect(c.legal_basis).toContain(planKey);
  expect(c.description.length).toBeGreaterThan(0);
  expect(filed.transcript.length).toBeGreaterThan(0);
  // What staff read is free of phone numbers; the number lives only in the contact field.
  assertNoPhone(c.description, "the description");
  for (const line of filed.transcript) assertNoPhone(line.text, "the transcript");
  return filed;
}

const FEES_COMPLAINT = "我们卫东区香山名苑物业乱收费，物业费一年涨了两次，还不给收据";
const LIFT_COMPLAINT = "小区电梯坏了半个月了没人修，物业一直不管";

describe("private chat", () => {
  it("asks only for what is missing, masks the phone in the summary and files a complete case", async () => {
    const r = resident();
    const first = await r.say(FEES_COMPLAINT);
    // Everything but the optional contact was told: the summary comes at once, inviting a phone number.
    expect(first.kind).toBe("complaint_confirm");
    // District and community were named: the one question left is how to reach them.
    expect(questionsIn(first.text)).toEqual(["contact"]);
    expect((await r.draft())?.draft).toMatchObject({
      district: "卫东区",
      community: "香山名苑",
      category: "fees",
    });

    const summary = await r.say("我姓王，13812341234");
    expect(summary.kind).toBe("complaint_confirm");
    expect(summary.actions).toEqual(["confirm", "cancel"]);
    expect(summary.text).toContain("138****1234");
    assertNoPhone(summary.text, "the summary");
    expect(summary.text).toContain("区县：卫东区");
    expect(summary.text).toContain("小区：香山名苑");
    expect(summary.text).toContain("类别：物业收费");
    expect(questionsIn(summary.text)).toEqual([]);
    expect((await r.draft())?.stage).toBe("confirming");

    const done = await r.say("确认");
    const filed = expectWellFiled(done);
    expect(filed.complaint).toMatchObject({
      category: "fees",
      district: "卫东区",
      community: "香山名苑",
      urgency: "normal",
      anonymous: false,
    });
    expect(filed.complaint.legal_basis).toContain("pds-plan-2024:2.2");
    expect(filed.complaint.description).toContain("物业费一年涨了两次");
    expect(filed.complaint.contact?.phone).toBe("13812341234");
    expect(filed.complaint.contact?.name).toContain("王");
    expect(filed.origin).toMatchObject({ platform: PLATFORM, senderId: r.senderId });
    expect(filed.transcript[0]).toMatchObject({ role: "resident", text: FEES_COMPLAINT });
    expect(filed.transcript.map((t) => t.role)).toEqual(["resident", "bot", "resident", "bot"]);
    expect(filed.transcript.at(-1)?.text).toContain("请核对您的投诉");
    expect(done.citations).toEqual(filed.complaint.legal_basis);
    expect(await r.draft()).toBeUndefined();
    expect(log.events("complaint_filed").map((l) => l.obj.case)).toContain(filed.number);
  });

  it("asks one question at a time and never again for what was answered", async () => {
    const r = resident();
    const asked: string[][] = [];
    const first = await r.say(LIFT_COMPLAINT);
    asked.push(questionsIn(first.text));
    asked.push(questionsIn((await r.say("卫东区")).text));
    asked.push(questionsIn((await r.say("香山名苑")).text));
    const summary = await r.say("我姓王，13812341234");
    expect(asked).toEqual([["district"], ["community"], ["contact"]]);
    expect(summary.kind).toBe("complaint_confirm");
    expect((await r.draft())?.draft).toMatchObject({
      district: "卫东区",
      community: "香山名苑",
      category: "service_quality",
    });
    // A bare answer fills its field; it is not appended to the description.
    expect((await r.draft())?.draft.description).toBe(LIFT_COMPLAINT);

    const filed = expectWellFiled(await r.say("确认"));
    expect(filed.complaint.legal_basis).toContain("pds-plan-2024:2.4");
    expect(filed.complaint.urgency).toBe("high");
  });

  it("takes a correction during confirmation and shows the summary again", async () => {
    const r = resident();
    await r.say(FEES_COMPLAINT);
    const summary = await r.say("匿名");
    expect(summary.text).toContain("区县：卫东区");

    const corrected = await r.say("不是卫东区，是新华区");
    expect(corrected.kind).toBe("complaint_confirm");
    expect(corrected.text).toContain("请核对您的投诉");
    expect(corrected.text).toContain("区县：新华区");
    expect(corrected.text).not.toContain("区县：卫东区");
    expect(await r.draft()).toMatchObject({ stage: "confirming", draft: { district: "新华区" } });
    // Everything else stays as it was.
    expect((await r.draft())?.draft).toMatchObject({ community: "香山名苑", anonymous: true });

    const filed = expectWellFiled(await r.say("确认"));
    expect(filed.complaint.district).toBe("新华区");
    expect(filed.complaint.community).toBe("香山名苑");
  });

  it("cancels with 算了 and files nothing, in confirmation or halfway", async () => {
    const r = resident();
    await r.say(FEES_COMPLAINT);
    await r.say("我姓王，13812341234");
    const cancelled = await r.say("算了");
    expect(cancelled.kind).toBe("complaint_cancelled");
    expect(await r.draft()).toBeUndefined();
    // A later 确认 has nothing to confirm.
    expect((await r.say("确认")).kind).not.toBe("complaint_filed");

    const halfway = resident();
    const q = await halfway.say(LIFT_COMPLAINT);
    expect(questionsIn(q.text)).toEqual(["district"]);
    expect((await halfway.say("算了")).kind).toBe("complaint_cancelled");
    expect(await halfway.draft()).toBeUndefined();

    expect(casesFrom(r.senderId)).toBe(0);
    expect(casesFrom(halfway.senderId)).toBe(0);
    expect(log.events("intake_cancelled").length).toBeGreaterThanOrEqual(2);
  });

  it("files an anonymous complaint without any contact", async () => {
    const r = resident();
    await r.say(FEES_COMPLAINT);
    const summary = await r.say("匿名");
    expect(summary.kind).toBe("complaint_confirm");
    expect(summary.text).toMatch(/联系方式：匿名/);
    expect((await r.draft())?.draft).toMatchObject({ anonymous: true, contact: null });

    const filed = expectWellFiled(await r.say("确认"));
    expect(filed.complaint.anonymous).toBe(true);
    expect(filed.complaint.contact).toBeNull();
    const row = casebook.db
      .prepare("SELECT contact_name, contact_phone FROM cases WHERE number = ?")
      .get(filed.number);
    expect(row).toEqual({ contact_name: null, contact_phone: null });
  });

  it("drops a phone already given when the resident then asks to stay anonymous", async () => {
    const r = resident();
    await r.say(FEES_COMPLAINT);
    expect((await r.say("我姓王，13812341234")).text).toContain("138****1234");
    const summary = await r.say("还是匿名吧");
    expect(summary.kind).toBe("complaint_confirm");
    expect(summary.text).toContain("联系方式：匿名");
    expect(summary.text).not.toContain("138****1234");

    const filed = expectWellFiled(await r.say("确认"));
    expect(filed.complaint).toMatchObject({ anonymous: true, contact: null });
    const row = casebook.db
      .prepare("SELECT contact_name, contact_phone FROM cases WHERE number = ?")
      .get(filed.number);
    expect(row).toEqual({ contact_name: null, contact_phone: null });
  });
});

describe("group chat", () => {
  it("keeps the questions out of the group and files with the group's community and district", async () => {
    const r = resident("member");
    const inGroup = await r.inGroup(LIFT_COMPLAINT);
    expect(inGroup.kind).toBe("complaint_question");
    expect(questionsIn(inGroup.text)).toEqual([]);
    expect(inGroup.text).toContain("私聊");
    // The group already tells where: the first private question is the contact.
    expect(questionsIn(inGroup.privateText ?? "")).toEqual(["contact"]);
    expect((await r.draft())?.draft).toMatchObject({ community: "鹰城花园", district: "新华区" });

    const summary = await r.say("我姓李，13812345678");
    expect(summary.kind).toBe("complaint_confirm");
    expect(summary.text).toContain("小区：鹰城花园");
    expect(summary.text).toContain("区县：新华区");
    expect(summary.text).toContain("138****5678");

    const filed = expectWellFiled(await r.say("确认"));
    expect(filed.complaint).toMatchObject({
      community: "鹰城花园",
      district: "新华区",
      category: "service_quality",
    });
    expect(filed.complaint.contact?.phone).toBe("13812345678");
    expect(filed.origin).toMatchObject({
      senderId: r.senderId,
      privateConversationId: `dm-${r.senderId}`,
      groupConversationId: "group-yingcheng",
    });
  });

  it("never echoes or stores as contact a phone typed into the group", async () => {
    const r = resident("member");
    const phones = ["13812341234", "138 1234 5678", "0375-2345678"];
    const opened = await r.inGroup(`${LIFT_COMPLAINT}，有事打我电话${phones[0]}`);
    expect(opened.kind).toBe("complaint_question");
    // More numbers in the group while the intake is open, and a question with one in it.
    await r.inGroup(`物业就是不管，我电话 ${phones[1]}`);
    await r.inGroup(`物业办公室电话${phones[2]}一直没人接，物业费还能交吗？`);
    // guardGroupReplies has checked each group reply; the draft has no contact from the group.
    expect((await r.draft())?.draft.contact).toBeNull();
    for (const p of phones) expect((await r.draft())?.draft.description).not.toContain(p);

    const summary = await r.say("我姓李");
    expect(summary.kind).toBe("complaint_confirm");
    assertNoPhone(summary.text, "the summary");
    // The contact line names them and holds no number at all.
    expect(summary.text).toMatch(/联系方式：\D*李\D*（仅工作人员回访用）/);

    const filed = expectWellFiled(await r.say("确认"));
    expect(filed.complaint.contact?.phone ?? null).toBeNull();
    const row = casebook.db
      .prepare("SELECT contact_phone FROM cases WHERE number = ?")
      .get(filed.number);
    expect(row).toEqual({ contact_phone: null });
  });

  it("tells the group to call 119 first in an emergency and asks the rest privately", async () => {
    const r = resident("member");
    const reply = await r.inGroup("楼道里电动车着火了！！烟好大");
    expect(reply.kind).toBe("emergency");
    expect(reply.text.split("\n")[0]).toContain("119");
    expect(questionsIn(reply.text)).toEqual([]);
    expect(questionsIn(reply.privateText ?? "")).toEqual(["contact"]);
    expect((await r.draft())?.draft.urgency).toBe("emergency");
    await r.say("算了");
  });
});

describe("emergency and evidence", () => {
  it("puts calling 119 on the first line and marks the draft an emergency", async () => {
    const r = resident();
    const reply = await r.say("楼道里电动车着火了！！烟好大");
    expect(reply.kind).toBe("emergency");
    const firstLine = reply.text.split("\n")[0] ?? "";
    expect(firstLine).toContain("119");
    expect(firstLine).toMatch(/拨打/);
    expect((await r.draft())?.draft).toMatchObject({ urgency: "emergency", category: "safety" });
    // The intake goes on after the warning: where is it?
    expect(questionsIn(reply.text)).toEqual(["district"]);

    await r.say("卫东区香山名苑");
    await r.say("匿名");
    const filed = expectWellFiled(await r.say("确认"));
    expect(filed.complaint).toMatchObject({ urgency: "emergency", category: "safety" });
    expect(filed.complaint.legal_basis).toContain("pds-plan-2024:2.3");
  });

  it("stores an image sent during an intake as evidence on the filed case", async () => {
    const r = resident();
    await r.say(FEES_COMPLAINT);
    const got = await r.say("", { attachment: { kind: "image", ref: "tg-file-abc123" } });
    expect(got.text).toContain("已收到图片");
    // The intake goes on where it was.
    expect(questionsIn(got.text)).toEqual(["contact"]);
    expect((await r.draft())?.draft.evidence).toHaveLength(1);

    const summary = await r.say("匿名");
    expect(summary.text).toContain("证据：1 个附件");
    const filed = expectWellFiled(await r.say("确认"));
    expect(filed.complaint.evidence).toEqual([
      { kind: "image", ref: "tg-file-abc123", at: expect.any(String) },
    ]);
  });

  it("does not take an image outside an intake as evidence", async () => {
    const r = resident();
    const reply = await r.say("", { attachment: { kind: "image", ref: "tg-file-stray" } });
    expect(reply.kind).toBe("unsupported");
    expect(await r.draft()).toBeUndefined();
  });
});

describe("restart", () => {
  it("continues a half-finished intake after the casebook is reopened, and files it", async () => {
    const path = join(dir, "restart.sqlite");
    const startEngine = (store: Casebook) =>
      guardGroupReplies(
        createEngine({
          knowledge: kb,
          desk: store,
          conversations: store.conversations(),
          logger: log,
        }),
        log,
      );
    const msg = (senderId: string, text: string): IncomingMessage => ({
      platform: PLATFORM,
      conversationId: `dm-${senderId}`,
      chatType: "private",
      senderId,
      text,
    });

    const before = new Casebook(path);
    const first = startEngine(before);
    await first.handle(msg("restart-1", LIFT_COMPLAINT));
    await first.handle(msg("restart-1", "卫东区"));
    // A second resident began in a group and has not answered privately yet.
    await first.handle({
      platform: PLATFORM,
      conversationId: "group-yingcheng",
      chatType: "group",
      senderId: "restart-2",
      text: LIFT_COMPLAINT,
      group: GROUP,
    });
    before.close();

    const after = new Casebook(path);
    try {
      const second = startEngine(after);
      const survived = await second.draftFor(PLATFORM, "restart-1");
      expect(survived).toMatchObject({
        stage: "collecting",
        draft: { district: "卫东区", description: LIFT_COMPLAINT },
      });

      // The question asked before the restart is answered after it.
      const next = await second.handle(msg("restart-1", "香山名苑"));
      expect(questionsIn(next.text)).toEqual(["contact"]);
      await second.handle(msg("restart-1", "我姓王，13812341234"));
      const filed = expectWellFiled(await second.handle(msg("restart-1", "确认")), after);
      expect(filed.complaint).toMatchObject({
        district: "卫东区",
        community: "香山名苑",
        category: "service_quality",
      });
      expect(filed.complaint.contact?.phone).toBe("13812341234");
      // The transcript spans the restart.
      expect(filed.transcript[0]).toMatchObject({ role: "resident", text: LIFT_COMPLAINT });
      expect(filed.transcript.map((t) => t.text)).toContain("卫东区");

      expect((await second.draftFor(PLATFORM, "restart-2"))?.draft).toMatchObject({
        community: "鹰城花园",
        district: "新华区",
      });
      await second.handle(msg("restart-2", "我姓李，13812345678"));
      const fromGroup = expectWellFiled(await second.handle(msg("restart-2", "确认")), after);
      expect(fromGroup.complaint).toMatchObject({ community: "鹰城花园", district: "新华区" });
      expect(fromGroup.origin.groupConversationId).toBe("group-yingcheng");
    } finally {
      after.close();
    }
  });
});

describe("corrections and answers in the resident's own words", () => {
  it("changes the community when told 小区是鹰城花园 during confirmation", async () => {
    const r = resident();
    await r.say(FEES_COMPLAINT);
    await r.say("匿名");
    const edited = await r.say("小区是鹰城花园");
    expect(edited.text).toContain("小区：鹰城花园");
    expect((await r.draft())?.draft.community).toBe("鹰城花园");
  });

  it("stores the community without 小区是 when the answer to 哪个小区 is 小区是鹰城花园", async () => {
    const r = resident();
    await r.say(LIFT_COMPLAINT);
    await r.say("卫东区");
    await r.say("小区是鹰城花园");
    expect((await r.draft())?.draft.community).toBe("鹰城花园");
  });

  it("stores the name without 叫 when told 我叫王芳", async () => {
    const r = resident();
    await r.say(FEES_COMPLAINT);
    await r.say("我叫王芳，13812341234");
    expect((await r.draft())?.draft.contact?.name).toBe("王芳");
  });

  it("understands 不留 as the answer to the first private question after a group handoff", async () => {
    const r = resident("member");
    await r.inGroup(LIFT_COMPLAINT);
    const reply = await r.say("不留");
    expect(reply.kind).toBe("complaint_confirm");
    expect((await r.draft())?.draft.description).toBe(LIFT_COMPLAINT);
  });
});

describe("asking about a filed complaint", () => {
  it("tells the resident who filed it its status, and nobody else", async () => {
    const r = resident();
    await r.say(FEES_COMPLAINT);
    await r.say("匿名");
    const filed = expectWellFiled(await r.say("确认"));

    const own = await r.say(`进度 ${filed.number}`);
    expect(own.text).toContain(filed.number);
    expect(own.text).toContain("待工作人员审核");

    casebook.changeStatus(filed.id, { status: "forwarded", actor: "staff-1", source: "staff" });
    expect((await r.say(`进度 ${filed.number.toLowerCase()}`)).text).toContain("已转交");

    const stranger = resident();
    const other = await stranger.say(`进度 ${filed.number}`);
    expect(other.text).not.toContain("已转交");
    expect(other.text).toContain("没有找到");
  });
});
