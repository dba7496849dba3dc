import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Casebook } from "../../adapters/cases/casebook.ts";
import type { RunningServer } from "../../adapters/chat/http-api.ts";
import { MpApiClient } from "../../adapters/chat/wechat-mp/api-client.ts";
import { mpConfig } from "../../adapters/chat/wechat-mp/config.ts";
import { MP_PATH, type MpChannel, startMp } from "../../adapters/chat/wechat-mp/server.ts";
import { createEngine, type Engine } from "../../bot/engine.ts";
import type { IncomingMessage, Reply } from "../../bot/message.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";
import { recordingLogger } from "../helpers/logging.ts";
import {
  FAKE_AES_KEY,
  FAKE_APP_ID,
  FAKE_SECRET,
  FAKE_TOKEN,
  type FakeWeChat,
  type Mode,
  startFakeWeChat,
} from "../helpers/wechat-mp-fake.ts";

const QUESTION = "物业能因为我欠费停我家的水吗";
/** A cited article as residents read it: 《title》第…条. */
const CITED_ARTICLE = /《[^》]+》第[一二三四五六七八九十百零〇\d]+条/;
const COMPLAINT = "我要投诉，新华区鹰城花园3号楼楼道里天天有人飞线给电动车充电，物业一直不管";

interface World {
  dir: string;
  casebook: Casebook;
  wx: FakeWeChat;
  channel: MpChannel;
  server: RunningServer;
  api: MpApiClient;
  /** Every reply the engine gave, with the message it answered. */
  replies: { message: IncomingMessage; reply: Reply }[];
}

let world: World | undefined;

interface SetUp {
  /** Milliseconds the engine takes before each reply. */
  engineDelayMs?: number;
  passiveMs?: number;
  fakeTimeoutMs?: number;
  template?: { id: string; field: string };
  now?: () => number;
  /** Replaces the reply to a message whose text is this key. */
  canned?: Record<string, Reply>;
}

async function setUp(options: SetUp = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), "wuye-mp-"));
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
      if (options.engineDelayMs) await new Promise((r) => setTimeout(r, options.engineDelayMs));
      const reply = options.canned?.[message.text ?? ""] ?? (await real.handle(message));
      replies.push({ message, reply });
      return reply;
    },
  };
  const wx = await startFakeWeChat({
    ...(options.fakeTimeoutMs ? { timeoutMs: options.fakeTimeoutMs } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const api = new MpApiClient({ appId: FAKE_APP_ID, secret: FAKE_SECRET, apiRoot: wx.apiRoot });
  const { channel, server } = await startMp({
    engine,
    store: casebook.store,
    logger: recordingLogger(),
    token: FAKE_TOKEN,
    appId: FAKE_APP_ID,
    aesKey: FAKE_AES_KEY,
    api,
    notifyIntervalMs: 0,
    host: "127.0.0.1",
    port: 0,
    ...(options.passiveMs !== undefined ? { passiveMs: options.passiveMs } : {}),
    ...(options.template ? { template: options.template } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  wx.callbackUrl = `${server.url}${MP_PATH}`;
  world = { dir, casebook, wx, channel, server, api, replies };
  return world;
}

afterEach(async () => {
  const w = world;
  world = undefined;
  if (!w) return;
  await w.server.close(1_000);
  await w.channel.stop();
  await w.wx.close();
  w.casebook.close();
  rmSync(w.dir, { recursive: true, force: true });
});

/** Waits (bounded) until the resident has received `count` messages; returns them. */
async function waitForInbox(w: World, openId: string, count: number, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = w.wx.received(openId);
    if (got.length >= count) return got;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${count} message(s): ${JSON.stringify(got)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lastReply = (w: World) => w.replies[w.replies.length - 1]?.reply;

/** Everything the resident received since `from`, joined in order. */
function textSince(w: World, openId: string, from: number): string {
  return w.wx
    .received(openId)
    .slice(from)
    .map((r) => r.text)
    .join("\n");
}

/**
 * Tells one message and waits until the engine has answered it and the
 * answer has reached the resident (a passive reply, or every part pushed).
 */
async function tell(w: World, openId: string, text: string, mode: Mode = "plain") {
  const before = w.wx.received(openId).length;
  const repliesBefore = w.replies.length;
  await w.wx.send({ from: openId, text }, mode);
  const deadline = Date.now() + 10_000;
  while (w.replies.length === repliesBefore && Date.now() < deadline) await sleep(20);
  await w.channel.idle();
  return { reply: lastReply(w) as Reply, text: textSince(w, openId, before) };
}

describe("Official Account server configuration", () => {
  it("echoes echostr for a correctly signed check and refuses any other", async () => {
    const w = await setUp();
    expect(await w.wx.verifyUrl("echo-8211")).toEqual({ status: 200, body: "echo-8211" });
    const bad = await w.wx.verifyUrl("echo-8211", { signature: "0".repeat(40) });
    expect(bad.status).toBe(403);
    expect(bad.body).not.toContain("echo-8211");
  });
});

describe("Official Account messages", () => {
  it("answers in compatible mode, where the plain fields come with the encrypted ones", async () => {
    const w = await setUp();
    await w.wx.send({ from: "p-compat", text: "你好" }, "compatible");
    const got = w.wx.received("p-compat");
    expect(got.map((r) => r.via)).toEqual(["passive"]);
    expect(got[0]?.text).toBe(lastReply(w)?.text);
    expect(w.wx.problems).toEqual([]);
  });

  for (const mode of ["plain", "safe"] as const) {
    it(`answers a question in ${mode} mode with its citation, within 5 seconds`, async () => {
      const w = await setUp();
      const attempts = await w.wx.send({ from: `o-${mode}`, text: QUESTION }, mode);
      // WeChat got its answer on the first post, in time: no retry.
      expect(attempts).toHaveLength(1);
      expect(attempts[0]?.status).toBe(200);
      expect(attempts[0]?.ms).toBeLessThan(5_000);
      const reply = lastReply(w) as Reply;
      expect(reply.citations.length).toBeGreaterThan(0);
      // A long answer goes out as several customer-service messages right after.
      await waitForInbox(w, `o-${mode}`, 1);
      await w.channel.idle();
      const got = w.wx.received(`o-${mode}`);
      const all = got.map((r) => r.text).join("\n");
      expect(all).toMatch(CITED_ARTICLE);
      expect(all.replace(/\s/g, "")).toBe(reply.text.replace(/\s/g, ""));
      for (const r of got) expect(Buffer.byteLength(r.text)).toBeLessThanOrEqual(2048);
      expect(w.wx.problems).toEqual([]);
    });

    it(`answers a short reply passively in ${mode} mode, readable by WeChat`, async () => {
      const w = await setUp();
      await w.wx.send({ from: `p-${mode}`, text: "你好" }, mode);
      const got = w.wx.received(`p-${mode}`);
      expect(got).toHaveLength(1);
      expect(got[0]?.via).toBe("passive");
      expect(got[0]?.text).toBe(lastReply(w)?.text);
      expect(w.wx.problems).toEqual([]);
      // Nothing was pushed, so no access token was needed.
      expect(w.wx.tokenRequests).toBe(0);
    });
  }

  it("answers `success` in time when the reply is slow and sends it through the customer-service API", async () => {
    // WeChat's own clock: a 5-second wait and retries; the engine needs 4.5 s.
    const w = await setUp({ engineDelayMs: 4_500 });
    const attempts = await w.wx.send({ from: "o-slow", text: "你好" }, "safe");
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.body).toBe("success");
    expect(attempts[0]?.ms).toBeLessThan(5_000);
    const [got] = await waitForInbox(w, "o-slow", 1);
    expect(got?.via).toBe("custom");
    expect(got?.text).toBe(lastReply(w)?.text);
    await sleep(200);
    expect(w.wx.received("o-slow")).toHaveLength(1);
  });

  it("caches the access token and fetches a new one when WeChat rejects it", async () => {
    const w = await setUp({ passiveMs: 0, engineDelayMs: 50 });
    await tell(w, "o-token", "你好");
    await tell(w, "o-token", "在吗");
    expect(w.wx.received("o-token").map((r) => r.via)).toEqual(["custom", "custom"]);
    expect(w.wx.tokenRequests).toBe(1);
    w.wx.revokeTokens();
    await tell(w, "o-token", "你好");
    expect(w.wx.received("o-token")).toHaveLength(3);
    expect(w.wx.tokenRequests).toBe(2);
  });

  it("fetches a new access token once the cached one has expired", async () => {
    const w = await setUp();
    let clock = Date.now();
    const api = new MpApiClient({
      appId: FAKE_APP_ID,
      secret: FAKE_SECRET,
      apiRoot: w.wx.apiRoot,
      now: () => clock,
    });
    await api.sendText("o-exp", "一");
    clock += 3600_000;
    await api.sendText("o-exp", "二");
    expect(w.wx.tokenRequests).toBe(1);
    // WeChat's tokens last 7200 s; one is renewed a little before that.
    clock += 3600_000;
    await api.sendText("o-exp", "三");
    expect(w.wx.tokenRequests).toBe(2);
    expect(w.wx.received("o-exp").map((r) => r.text)).toEqual(["一", "二", "三"]);
  });

  it("never answers a retried MsgId twice", async () => {
    const w = await setUp();
    const msgId = w.wx.nextMsgId();
    await w.wx.send({ from: "o-dup", text: "你好", msgId });
    await w.wx.send({ from: "o-dup", text: "你好", msgId }, "safe");
    await sleep(200);
    expect(w.wx.received("o-dup")).toHaveLength(1);
    expect(w.replies).toHaveLength(1);
  });

  it("answers once when WeChat retries while the first post is still being answered", async () => {
    // WeChat gives up after 200 ms here; the reply takes two seconds: every post times out.
    const w = await setUp({ fakeTimeoutMs: 200, engineDelayMs: 2_000 });
    const attempts = await w.wx.send({ from: "o-retry", text: "你好" });
    expect(attempts.map((a) => a.status)).toEqual(["timeout", "timeout", "timeout"]);
    const [got] = await waitForInbox(w, "o-retry", 1);
    expect(got?.via).toBe("custom");
    await sleep(300);
    expect(w.wx.received("o-retry")).toHaveLength(1);
    expect(w.replies).toHaveLength(1);
  });

  it("refuses bad signatures, another AppID, replayed timestamps and malformed XML, and keeps serving", async () => {
    const w = await setUp();
    const m = { from: "o-bad", text: QUESTION };
    const refused = [
      await w.wx.sendTampered(m, "plain", { signature: "f".repeat(40) }),
      await w.wx.sendTampered(m, "safe", { msgSignature: "f".repeat(40) }),
      await w.wx.sendTampered(m, "safe", { appId: "wx9999999999999999" }),
      await w.wx.sendTampered(m, "safe", {
        key: Buffer.from(`${"Z".repeat(43)}=`, "base64"),
      }),
      await w.wx.sendTampered(m, "plain", { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      await w.wx.sendTampered(m, "safe", { timestamp: Math.floor(Date.now() / 1000) - 600 }),
      await w.wx.sendTampered(m, "plain", { body: "<xml><ToUserName>gh</ToUserName><Content>" }),
      await w.wx.sendTampered(m, "plain", { body: "not xml at all" }),
      await w.wx.sendTampered(m, "plain", {
        body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>',
      }),
      await w.wx.sendTampered(m, "safe", {
        body: "<xml><Encrypt>bm90IGNpcGhlcg==</Encrypt></xml>",
      }),
    ];
    for (const r of refused) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body).not.toContain("<xml>");
    }
    expect(w.replies).toHaveLength(0);
    expect(w.wx.received("o-bad")).toHaveLength(0);
    // Still serving.
    await w.wx.send({ from: "o-bad", text: "你好" }, "safe");
    expect(w.wx.received("o-bad")).toHaveLength(1);
  });

  it("welcomes a new follower once, even when WeChat retries the event", async () => {
    const w = await setUp();
    const createTime = Math.floor(Date.now() / 1000);
    await w.wx.send({ from: "o-new", type: "event", event: "subscribe", createTime }, "safe");
    await w.wx.send({ from: "o-new", type: "event", event: "subscribe", createTime }, "safe");
    const got = w.wx.received("o-new");
    expect(got).toHaveLength(1);
    expect(got[0]?.via).toBe("passive");
    expect(got[0]?.text).toContain("投诉");
    expect(got[0]?.text).toMatch(/问/);
    // Unfollowing is not answered.
    await w.wx.send({ from: "o-new", type: "event", event: "unsubscribe" }, "safe");
    expect(w.wx.received("o-new")).toHaveLength(1);
  });

  it("splits a long reply into messages WeChat accepts, in order", async () => {
    const paragraphs = ["甲", "乙", "丙", "丁"].map((c) => c.repeat(450));
    const long = paragraphs.join("\n\n");
    const w = await setUp({
      canned: { 长回答: { kind: "answer", text: long, citations: [] } },
    });
    await tell(w, "o-long", "长回答");
    const got = w.wx.received("o-long");
    expect(got.length).toBeGreaterThan(1);
    for (const r of got) expect(Buffer.byteLength(r.text)).toBeLessThanOrEqual(2048);
    expect(got.map((r) => r.text).join("")).toBe(paragraphs.join(""));
  });
});

/** What a resident answers to the question a complaint reply asks. */
function answerTo(reply: Reply): string {
  if (reply.kind === "complaint_confirm") return "确认";
  if (/区县|哪个区/.test(reply.text)) return "新华区";
  if (/小区/.test(reply.text)) return "鹰城花园";
  return "匿名";
}

/** Drives a complaint by reply kinds until it is filed; returns the case number. */
async function fileComplaint(w: World, openId: string, withImage?: string): Promise<string> {
  let { reply } = await tell(w, openId, COMPLAINT);
  if (withImage) {
    const before = w.replies.length;
    await w.wx.send({ from: openId, type: "image", mediaId: withImage });
    while (w.replies.length === before) await sleep(20);
  }
  for (let turn = 0; turn < 8 && reply.kind !== "complaint_filed"; turn++) {
    expect(["complaint_question", "complaint_confirm", "answer", "complaint_offer"]).toContain(
      reply.kind,
    );
    ({ reply } = await tell(w, openId, answerTo(reply)));
  }
  expect(reply.kind).toBe("complaint_filed");
  expect(w.replies.map((r) => r.reply.kind)).toContain("complaint_confirm");
  const number = reply.caseNumber as string;
  expect(textSince(w, openId, 0)).toContain(number);
  return number;
}

describe("Official Account complaints", () => {
  it("attaches an image sent during a complaint as evidence and sends the status update", async () => {
    const w = await setUp();
    const number = await fileComplaint(w, "o-c1", "MEDIA_ID_hallway_01");
    const found = w.casebook.byNumber(number);
    const stored = w.casebook.get(found?.id as string);
    const images = stored?.complaint.evidence.filter((e) => e.kind === "image") ?? [];
    expect(images.map((e) => e.ref)).toEqual(["wechat-mp:media:MEDIA_ID_hallway_01"]);

    const before = w.wx.received("o-c1").length;
    w.casebook.changeStatus(found?.id as string, {
      status: "forwarded",
      actor: "staff",
      source: "staff",
    });
    expect(await w.channel.deliverNotifications()).toBe(1);
    const update = w.wx.received("o-c1").slice(before);
    expect(update).toHaveLength(1);
    expect(update[0]?.via).toBe("custom");
    expect(update[0]?.text).toContain(number);
    expect(await w.channel.deliverNotifications()).toBe(0);
  });

  it("sends a status update as a template message once the 48-hour window has closed", async () => {
    const w = await setUp({ template: { id: "TPL_status", field: "content" } });
    const number = await fileComplaint(w, "o-c2");
    w.wx.closeWindow("o-c2");
    const found = w.casebook.byNumber(number);
    w.casebook.changeStatus(found?.id as string, {
      status: "forwarded",
      actor: "staff",
      source: "staff",
    });
    const before = w.wx.received("o-c2").length;
    expect(await w.channel.deliverNotifications()).toBe(1);
    const update = w.wx.received("o-c2").slice(before);
    expect(update.map((u) => u.via)).toEqual(["template"]);
    expect(update[0]?.text).toContain(number);
  });

  it("holds a status update without a template until the resident writes again", async () => {
    let clock = Date.now();
    const w = await setUp({ now: () => clock });
    const number = await fileComplaint(w, "o-c3");
    const found = w.casebook.byNumber(number);
    w.casebook.changeStatus(found?.id as string, {
      status: "forwarded",
      actor: "staff",
      source: "staff",
    });
    // Two days later the window is closed: nothing can be sent, and nothing is lost.
    clock += 49 * 3600_000;
    w.wx.closeWindow("o-c3");
    const before = w.wx.received("o-c3").length;
    expect(await w.channel.deliverNotifications()).toBe(0);
    expect(w.wx.received("o-c3")).toHaveLength(before);

    // The resident writes again (WeChat's clock moved on too): the update follows the answer.
    w.wx.openWindow("o-c3");
    await w.wx.send({ from: "o-c3", text: "你好" });
    const deadline = Date.now() + 5_000;
    while (!textSince(w, "o-c3", before).includes(number) && Date.now() < deadline) await sleep(20);
    expect(textSince(w, "o-c3", before)).toContain(number);
  });
});

describe("Official Account settings", () => {
  const base = {
    WECHAT_MP_TOKEN: FAKE_TOKEN,
    WECHAT_MP_APPID: FAKE_APP_ID,
    WECHAT_MP_SECRET: FAKE_SECRET,
  };

  it("reads the CONTRACTS §7 keys with their defaults", () => {
    const c = mpConfig({ ...base, WECHAT_MP_AES_KEY: FAKE_AES_KEY, MP_PORT: "9100" });
    expect(c).toMatchObject({ host: "127.0.0.1", port: 9100, aesKey: FAKE_AES_KEY });
    expect(c.apiRoot).toBeUndefined();
    expect(mpConfig({ ...base, WECHAT_MP_API_ROOT: "http://127.0.0.1:9/" }).apiRoot).toBe(
      "http://127.0.0.1:9",
    );
  });

  it("names the key in a configuration mistake", () => {
    expect(() => mpConfig({})).toThrow(/WECHAT_MP_TOKEN/);
    expect(() => mpConfig({ ...base, WECHAT_MP_APPID: "123" })).toThrow(/WECHAT_MP_APPID/);
    expect(() => mpConfig({ ...base, WECHAT_MP_AES_KEY: "short" })).toThrow(/WECHAT_MP_AES_KEY/);
    expect(() => mpConfig({ ...base, MP_PORT: "http" })).toThrow(/MP_PORT/);
  });
});
