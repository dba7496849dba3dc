import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Casebook } from "../../adapters/cases/casebook.ts";
import type { GroupMap } from "../../adapters/chat/group-map.ts";
import { createWecomChannel, type WecomChannel } from "../../adapters/chat/wecom.ts";
import { wecomConfig } from "../../adapters/chat/wecom-config.ts";
import { createEngine, type Engine } from "../../bot/engine.ts";
import type { IncomingMessage, Reply } from "../../bot/message.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";
import { type RecordingLogger, recordingLogger } from "../helpers/logging.ts";
import {
  BOT_ID,
  BOT_SECRET,
  type Delivered,
  startWecomServer,
  type WecomServer,
} from "../helpers/wecom-ws-server.ts";

const QUESTION = "物业能因为我欠费停我家的水吗";
const CITED_ARTICLE = /《[^》]+》第[一二三四五六七八九十百零〇\d]+条/;
const GROUP = "wrkSFfCgAAgroup01";
const COMPLAINT = "投诉：3号楼楼道里天天有人飞线给电动车充电，物业一直不管";

interface World {
  dir: string;
  casebook: Casebook;
  server: WecomServer;
  channel: WecomChannel;
  logger: RecordingLogger;
  replies: { message: IncomingMessage; reply: Reply }[];
}

let world: World | undefined;

const groupMap: GroupMap = {
  size: 1,
  groupInfo: (platform, group) =>
    platform === "wecom" && group === GROUP
      ? { community: "鹰城花园", district: "新华区" }
      : undefined,
};

async function setUp(options: { secret?: string } = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), "wuye-wecom-"));
  const casebook = new Casebook(join(dir, "casebook.sqlite"));
  const real = createEngine({
    knowledge: await shippedKnowledgeBase(),
    desk: casebook,
    conversations: casebook.conversations(),
  });
  const replies: World["replies"] = [];
  const engine: Engine = {
    draftFor: (platform, senderId) => real.draftFor(platform, senderId),
    async handle(message) {
      const reply = await real.handle(message);
      replies.push({ message, reply });
      return reply;
    },
  };
  const server = await startWecomServer();
  const logger = recordingLogger();
  const channel = createWecomChannel({
    botId: BOT_ID,
    secret: options.secret ?? BOT_SECRET,
    wsUrl: server.url,
    engine,
    store: casebook.store,
    logger,
    groupMap,
    notifyIntervalMs: 0,
    heartbeatIntervalMs: 200,
    reconnectIntervalMs: 100,
  });
  world = { dir, casebook, server, channel, logger, replies };
  return world;
}

afterEach(async () => {
  const w = world;
  world = undefined;
  if (!w) return;
  await w.channel.stop();
  await w.server.close();
  w.casebook.close();
  rmSync(w.dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (bounded) until `count` deliveries match `pick`; returns them. */
async function waitFor(w: World, pick: (d: Delivered) => boolean, count = 1, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = w.server.delivered.filter(pick);
    if (found.length >= count) return found;
    if (Date.now() > deadline)
      throw new Error(`timed out: ${JSON.stringify(w.server.delivered).slice(0, 2000)}`);
    await sleep(20);
  }
}

/** Sends a member's single-chat message and waits for the engine's reply to reach the chat. */
async function tellPrivately(w: World, user: string, text: string): Promise<Reply> {
  const count = w.replies.length;
  const msgid = w.server.text({ user, text });
  await waitFor(w, (d) => d.answers === msgid);
  expect(w.replies.length).toBe(count + 1);
  return w.replies[count]?.reply as Reply;
}

function answerTo(reply: Reply): string {
  if (reply.kind === "complaint_confirm") return "确认";
  if (/区县|哪个区/.test(reply.text)) return "新华区";
  if (/小区/.test(reply.text)) return "鹰城花园";
  return "匿名";
}

describe("WeCom smart bot", () => {
  it("authenticates with its bot id and secret, keeps a heartbeat and logs the connection", async () => {
    const w = await setUp();
    await w.channel.start(5_000);
    expect(w.server.authenticated).toBe(1);
    const deadline = Date.now() + 5_000;
    while (w.server.heartbeats < 2 && Date.now() < deadline) await sleep(20);
    expect(w.server.heartbeats).toBeGreaterThanOrEqual(2);
    expect(w.logger.events("wecom_authenticated")).toHaveLength(1);
    expect(w.server.problems).toEqual([]);
  });

  it("refuses to start with a wrong secret", async () => {
    const w = await setUp({ secret: "wrong-secret-000000" });
    await expect(w.channel.start(5_000)).rejects.toThrow(/auth/i);
    expect(w.server.authenticated).toBe(0);
  });

  it("answers a question in a single chat with its citation, as the reply to that message", async () => {
    const w = await setUp();
    await w.channel.start(5_000);
    const msgid = w.server.text({ user: "zhangsan", text: QUESTION });
    const [reply] = await waitFor(w, (d) => d.answers === msgid);
    expect(reply?.chat).toBe("zhangsan");
    expect(reply?.via).toBe("reply");
    expect(reply?.text).toMatch(CITED_ARTICLE);
    expect(w.replies[0]?.reply.citations.length).toBeGreaterThan(0);
    expect(w.replies[0]?.message.chatType).toBe("private");
  });

  it("answers a mention in a group, in the group, without the mention in the question", async () => {
    const w = await setUp();
    await w.channel.start(5_000);
    const msgid = w.server.text({ user: "lisi", chat: GROUP, text: `@物业助手 ${QUESTION}` });
    const [reply] = await waitFor(w, (d) => d.answers === msgid);
    expect(reply?.chat).toBe(GROUP);
    expect(reply?.text).toMatch(CITED_ARTICLE);
    const seen = w.replies[0]?.message;
    expect(seen).toMatchObject({ chatType: "group", conversationId: GROUP, senderId: "lisi" });
    expect(seen?.text).toBe(QUESTION);
    expect(seen?.group).toEqual({ community: "鹰城花园", district: "新华区" });
  });

  it("continues a group complaint in the single chat, files it and pushes the status update", async () => {
    const w = await setUp();
    await w.channel.start(5_000);
    const msgid = w.server.text({ user: "wangwu", chat: GROUP, text: `@物业助手 ${COMPLAINT}` });
    const [groupReply] = await waitFor(w, (d) => d.answers === msgid);
    expect(groupReply?.chat).toBe(GROUP);
    // The details are asked in the single chat, pushed there: never in the group.
    expect(groupReply?.text).not.toMatch(/手机号|联系方式/);
    const [question] = await waitFor(w, (d) => d.chat === "wangwu" && d.via === "send");
    expect(w.replies[0]?.reply.privateText).toBe(question?.text);

    let reply = w.replies[0]?.reply as Reply;
    for (let turn = 0; turn < 8 && reply.kind !== "complaint_filed"; turn++) {
      expect(["complaint_offer", "complaint_question", "complaint_confirm", "answer"]).toContain(
        reply.kind,
      );
      reply = await tellPrivately(w, "wangwu", answerTo(reply));
    }
    expect(reply.kind).toBe("complaint_filed");
    expect(w.replies.map((r) => r.reply.kind)).toContain("complaint_confirm");
    const number = reply.caseNumber as string;
    const found = w.casebook.byNumber(number);
    expect(found?.complaint.community).toBe("鹰城花园");
    expect(found?.origin.groupConversationId).toBe(GROUP);
    expect(found?.origin.privateConversationId).toBe("wangwu");
    expect(w.server.inChat(GROUP).some((d) => d.text.includes("匿名"))).toBe(false);

    w.casebook.changeStatus(found?.id as string, {
      status: "forwarded",
      actor: "staff",
      source: "staff",
    });
    expect(await w.channel.deliverNotifications()).toBe(1);
    const [update] = await waitFor(
      w,
      (d) => d.chat === "wangwu" && d.via === "send" && d.text.includes(number),
    );
    expect(update).toBeDefined();
    expect(await w.channel.deliverNotifications()).toBe(0);
    expect(w.server.problems).toEqual([]);
  });

  it("answers a message delivered twice only once", async () => {
    const w = await setUp();
    await w.channel.start(5_000);
    const msgid = w.server.text({ user: "zhaoliu", text: "你好", msgid: "dup-msg-1" });
    await waitFor(w, (d) => d.answers === msgid);
    w.server.text({ user: "zhaoliu", text: "你好", msgid: "dup-msg-1" });
    const probe = w.server.text({ user: "zhaoliu", text: "在吗" });
    await waitFor(w, (d) => d.answers === probe);
    expect(w.server.inChat("zhaoliu")).toHaveLength(2);
  });

  it("pushes the answer to the chat when WeCom refuses the reply to the message", async () => {
    const w = await setUp();
    await w.channel.start(5_000);
    w.server.refuseReplies();
    w.server.text({ user: "wuji", text: QUESTION });
    const [pushed] = await waitFor(w, (d) => d.chat === "wuji");
    expect(pushed?.via).toBe("send");
    expect(pushed?.text).toMatch(CITED_ARTICLE);
    await sleep(200);
    expect(w.server.inChat("wuji")).toHaveLength(1);
  });

  it("attaches a picture sent in the single chat during a complaint as evidence", async () => {
    const w = await setUp();
    await w.channel.start(5_000);
    let reply = await tellPrivately(w, "qianer", `我要投诉，新华区鹰城花园${COMPLAINT.slice(3)}`);
    const before = w.replies.length;
    const picture = w.server.image({ user: "qianer" });
    await waitFor(w, (d) => d.answers === picture);
    expect(w.replies).toHaveLength(before + 1);
    for (let turn = 0; turn < 8 && reply.kind !== "complaint_filed"; turn++)
      reply = await tellPrivately(w, "qianer", answerTo(reply));
    expect(reply.kind).toBe("complaint_filed");
    const found = w.casebook.byNumber(reply.caseNumber as string);
    const stored = w.casebook.get(found?.id as string);
    const images = stored?.complaint.evidence.filter((e) => e.kind === "image") ?? [];
    expect(images.map((e) => e.ref)).toEqual([`wecom:${picture}`]);
  });

  it("welcomes a member who opens the single chat", async () => {
    const w = await setUp();
    await w.channel.start(5_000);
    w.server.enterChat("sunqi");
    const [welcome] = await waitFor(w, (d) => d.chat === "sunqi");
    expect(welcome?.via).toBe("welcome");
    expect(welcome?.text).toContain("投诉");
  });

  it("reconnects after the connection drops and keeps answering", async () => {
    const w = await setUp();
    await w.channel.start(5_000);
    w.server.dropConnection();
    const deadline = Date.now() + 5_000;
    while (w.server.authenticated < 2 && Date.now() < deadline) await sleep(20);
    expect(w.server.authenticated).toBe(2);
    expect(w.logger.events("wecom_disconnected").length).toBeGreaterThanOrEqual(1);
    expect(w.logger.events("wecom_reconnecting").length).toBeGreaterThanOrEqual(1);
    const msgid = w.server.text({ user: "zhouba", text: QUESTION });
    const [reply] = await waitFor(w, (d) => d.answers === msgid);
    expect(reply?.text).toMatch(CITED_ARTICLE);
  });
});

describe("WeCom settings", () => {
  it("reads the CONTRACTS §7 keys", () => {
    const c = wecomConfig({
      WECOM_BOT_ID: BOT_ID,
      WECOM_BOT_SECRET: BOT_SECRET,
      WECOM_WS_URL: "ws://127.0.0.1:9",
    });
    expect(c).toMatchObject({ botId: BOT_ID, secret: BOT_SECRET, wsUrl: "ws://127.0.0.1:9" });
    expect(wecomConfig({ WECOM_BOT_ID: BOT_ID, WECOM_BOT_SECRET: BOT_SECRET }).wsUrl).toBe(
      undefined,
    );
  });

  it("names the key in a configuration mistake", () => {
    expect(() => wecomConfig({})).toThrow(/WECOM_BOT_ID/);
    expect(() => wecomConfig({ WECOM_BOT_ID: BOT_ID })).toThrow(/WECOM_BOT_SECRET/);
    expect(() =>
      wecomConfig({ WECOM_BOT_ID: BOT_ID, WECOM_BOT_SECRET: BOT_SECRET, WECOM_WS_URL: "http://x" }),
    ).toThrow(/WECOM_WS_URL/);
  });
});
