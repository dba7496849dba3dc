import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileBox } from "file-box";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Wechaty, WechatyBuilder } from "wechaty";
import { mock, PuppetMock } from "wechaty-puppet-mock";
import { Casebook } from "../../adapters/cases/casebook.ts";
import {
  afterTrigger,
  createWechatChannel,
  type GroupInfoLookup,
  WECHAT_MAX_CHARS,
  type WechatChannel,
} from "../../adapters/chat/wechat.ts";
import { DEFAULT_TRIGGERS, wechatConfig } from "../../adapters/chat/wechat-config.ts";
import { createEngine } from "../../bot/engine.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

type ContactMock = ReturnType<mock.Mocker["createContact"]>;
type RoomMock = ReturnType<mock.Mocker["createRoom"]>;

/** One message the bot account sent, as the other side sees it. */
interface Sent {
  roomId?: string;
  to?: string;
  text: string;
}

const LISTED = "鹰城花园业主群";
const UNLISTED = "湛河区广场舞群";
/** Listed in WECHAT_ALLOWED_ROOMS only, not in the group map. */
const ALLOWED = "卫东区业主交流群";

interface World {
  dir: string;
  casebook: Casebook;
  bot: Wechaty;
  channel: WechatChannel;
  mocker: mock.Mocker;
  self: ContactMock;
  alice: ContactMock;
  listed: RoomMock;
  unlisted: RoomMock;
  allowed: RoomMock;
  sent: Sent[];
}

let world: World | undefined;

async function setUp(): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), "wuye-wechat-"));
  const casebook = new Casebook(join(dir, "casebook.sqlite"));
  const engine = createEngine({
    knowledge: await shippedKnowledgeBase(),
    desk: casebook,
    conversations: casebook.conversations(),
  });
  const mocker = new mock.Mocker();
  const bot = WechatyBuilder.build({ puppet: new PuppetMock({ mocker }) });
  const groupInfo: GroupInfoLookup = (platform, key) =>
    platform === "wechat" && key === LISTED
      ? { community: "鹰城花园", district: "新华区" }
      : undefined;
  const channel = createWechatChannel({
    wechaty: bot,
    engine,
    store: casebook.store,
    logger: { info() {}, warn() {}, error() {} },
    triggers: DEFAULT_TRIGGERS,
    allowedRooms: [ALLOWED],
    groupInfo,
    notifyIntervalMs: 0,
  });
  await bot.start();
  mocker.scan("qr");
  const self = mocker.createContact({ name: "物业助手" });
  mocker.login(self);
  const alice = mocker.createContact({ name: "alice" });
  const listed = mocker.createRoom({ topic: LISTED, memberIdList: [self.id, alice.id] });
  const unlisted = mocker.createRoom({ topic: UNLISTED, memberIdList: [self.id, alice.id] });
  const allowed = mocker.createRoom({ topic: ALLOWED, memberIdList: [self.id, alice.id] });
  const sent: Sent[] = [];
  // Everything the bot account says passes through its own mock contact.
  self.on("message", (m) => {
    if (m.talker().id !== self.id) return;
    const roomId = m.room()?.id;
    const to = m.listener()?.id;
    sent.push({ ...(roomId ? { roomId } : {}), ...(to ? { to } : {}), text: m.text() ?? "" });
  });
  return { dir, casebook, bot, channel, mocker, self, alice, listed, unlisted, allowed, sent };
}

/** Waits (bounded) until `count` messages matching `pick` have been sent; returns them. */
async function waitForSent(
  pick: (s: Sent) => boolean,
  count = 1,
  timeoutMs = 10_000,
): Promise<Sent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (world?.sent ?? []).filter(pick);
    if (found.length >= count) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${count} message(s); sent so far: ${JSON.stringify(world?.sent)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends `probe` (which must be answered) after a message that must not be, so silence is proven, not guessed. */
async function expectSilenceBefore(w: World, probe: () => void): Promise<Sent> {
  const before = w.sent.length;
  probe();
  const [reply] = await waitForSent((s) => w.sent.indexOf(s) >= before);
  // Give a stray reply to the ignored message a moment to show up.
  await sleep(200);
  expect(w.sent.slice(before)).toHaveLength(1);
  return reply as Sent;
}

const inRoom = (room: RoomMock) => (s: Sent) => s.roomId === room.id;
const privateTo = (contact: ContactMock) => (s: Sent) => s.to === contact.id;

beforeEach(async () => {
  world = await setUp();
});

afterEach(async () => {
  const w = world;
  world = undefined;
  if (!w) return;
  await w.channel.stop();
  await w.bot.stop();
  w.casebook.close();
  rmSync(w.dir, { recursive: true, force: true });
});

describe("WeChat channel", () => {
  it("answers an @-mention in a listed group, mentioning the asker and citing an article", async () => {
    const w = world as World;
    w.alice.say("@物业助手 物业能因为欠物业费停我家的水吗？", [w.self]).to(w.listed);
    const [reply] = await waitForSent(inRoom(w.listed));
    expect(reply?.text.startsWith("@alice")).toBe(true);
    expect(reply?.text).toContain("依据：");
    expect(reply?.text.length).toBeLessThanOrEqual(WECHAT_MAX_CHARS + "@alice ".length);
  });

  it("answers a message that starts with a trigger, with the trigger removed", async () => {
    const w = world as World;
    w.alice.say("问：物业能因为欠物业费停我家的水吗？").to(w.listed);
    const [reply] = await waitForSent(inRoom(w.listed));
    expect(reply?.text.startsWith("@alice")).toBe(true);
    expect(reply?.text).toContain("依据：");
  });

  it("answers in a group listed only in WECHAT_ALLOWED_ROOMS", async () => {
    const w = world as World;
    w.alice.say("@物业助手 物业能因为欠物业费停我家的水吗？", [w.self]).to(w.allowed);
    const [reply] = await waitForSent(inRoom(w.allowed));
    expect(reply?.text.startsWith("@alice")).toBe(true);
    expect(reply?.text).toContain("依据：");
  });

  it("stays silent in a group without a mention or trigger", async () => {
    const w = world as World;
    w.alice.say("物业能因为欠物业费停我家的水吗？").to(w.listed);
    const reply = await expectSilenceBefore(w, () => {
      w.alice.say("你好").to(w.self);
    });
    expect(reply.to).toBe(w.alice.id);
  });

  it("stays silent in a group that is not listed, even when mentioned", async () => {
    const w = world as World;
    w.alice.say("@物业助手 物业能因为欠物业费停我家的水吗？", [w.self]).to(w.unlisted);
    const reply = await expectSilenceBefore(w, () => {
      w.alice.say("你好").to(w.self);
    });
    expect(reply.to).toBe(w.alice.id);
    expect(w.sent.some(inRoom(w.unlisted))).toBe(false);
  });

  it("ignores pictures in a group that do not mention it", async () => {
    const w = world as World;
    w.alice.say(FileBox.fromBase64(Buffer.from("jpeg").toString("base64"), "a.jpg")).to(w.listed);
    const reply = await expectSilenceBefore(w, () => {
      w.alice.say("你好").to(w.self);
    });
    expect(reply.to).toBe(w.alice.id);
  });

  it("ignores its own messages, and its own replies never loop back", async () => {
    const w = world as World;
    // The bot's account typing a trigger itself (e.g. staff on the phone) is not a question.
    w.self.say("@物业助手 问 物业能因为欠物业费停我家的水吗？", [w.self]).to(w.listed);
    w.self.say("问 物业费怎么收").to(w.alice);
    const ownCount = w.sent.length;
    expect(ownCount).toBe(2);
    const reply = await expectSilenceBefore(w, () => {
      w.alice.say("问 物业能因为欠物业费停我家的水吗？").to(w.listed);
    });
    expect(reply.roomId).toBe(w.listed.id);
    // The reply (which starts with @alice) came back to the bot as a message and was not answered.
    await sleep(300);
    expect(w.sent.filter(inRoom(w.listed))).toHaveLength(2);
  });

  it("moves a complaint from the group to a private chat and files it with the group's community", async () => {
    const w = world as World;
    w.alice
      .say("@物业助手 投诉：3号楼楼道里天天有人飞线给电动车充电，物业一直不管", [w.self])
      .to(w.listed);
    const [groupReply] = await waitForSent(inRoom(w.listed));
    expect(groupReply?.text.startsWith("@alice")).toBe(true);
    expect(groupReply?.text).toContain("私聊");
    expect(groupReply?.text).not.toMatch(/手机号|称呼|联系方式|匿名/);
    const [question] = await waitForSent(privateTo(w.alice));
    expect(question?.text).toMatch(/手机号/);

    w.alice.say("匿名").to(w.self);
    const summary = (await waitForSent(privateTo(w.alice), 2))[1];
    expect(summary?.text).toContain("确认");

    w.alice.say("确认").to(w.self);
    const filed = (await waitForSent(privateTo(w.alice), 3))[2];
    const number = filed?.text.match(/PDS-\d{8}-\d{4}/)?.[0];
    expect(number).toBeDefined();
    const found = w.casebook.byNumber(number as string);
    expect(found?.complaint.community).toBe("鹰城花园");
    expect(found?.complaint.district).toBe("新华区");
    expect(found?.complaint.anonymous).toBe(true);
    expect(found?.origin.groupConversationId).toBe(w.listed.id);
    expect(found?.origin.privateConversationId).toBe(w.alice.id);
  });

  it("attaches a picture sent in the private chat during an intake to the case", async () => {
    const w = world as World;
    w.alice
      .say("我要投诉，新华区鹰城花园3号楼楼道里天天有人飞线给电动车充电，物业一直不管")
      .to(w.self);
    await waitForSent(privateTo(w.alice));

    w.alice.say(FileBox.fromBase64(Buffer.from("jpeg").toString("base64"), "楼道.jpg")).to(w.self);
    const received = (await waitForSent(privateTo(w.alice), 2))[1];
    expect(received?.text).toContain("已收到图片");

    w.alice.say("匿名").to(w.self);
    await waitForSent(privateTo(w.alice), 3);
    w.alice.say("确认").to(w.self);
    const filed = (await waitForSent(privateTo(w.alice), 4))[3];
    const number = filed?.text.match(/PDS-\d{8}-\d{4}/)?.[0];
    const found = w.casebook.byNumber(number as string);
    expect(found).toBeDefined();
    const stored = w.casebook.get(found?.id as string);
    const images = stored?.complaint.evidence.filter((e) => e.kind === "image") ?? [];
    expect(images).toHaveLength(1);
    expect(images[0]?.ref).toMatch(/^wechat:/);
  });

  it("replies calmly to a video in a private chat that only text is read", async () => {
    const w = world as World;
    w.alice.say(FileBox.fromBase64(Buffer.from("mp4").toString("base64"), "clip.mp4")).to(w.self);
    const [reply] = await waitForSent(privateTo(w.alice));
    expect(reply?.text).toContain("只能读文字");
  });

  it("sends status updates to the resident's private chat", async () => {
    const w = world as World;
    w.alice
      .say("我要投诉，新华区鹰城花园3号楼楼道里天天有人飞线给电动车充电，物业一直不管")
      .to(w.self);
    await waitForSent(privateTo(w.alice));
    w.alice.say("匿名").to(w.self);
    await waitForSent(privateTo(w.alice), 2);
    w.alice.say("确认").to(w.self);
    const filed = (await waitForSent(privateTo(w.alice), 3))[2];
    const number = filed?.text.match(/PDS-\d{8}-\d{4}/)?.[0];
    const found = w.casebook.byNumber(number as string);
    w.casebook.changeStatus(found?.id as string, {
      status: "forwarded",
      actor: "staff",
      source: "staff",
    });
    expect(await w.channel.deliverNotifications()).toBe(1);
    const update = (await waitForSent(privateTo(w.alice), 4))[3];
    expect(update?.text).toContain(number as string);
  });
});

describe("WeChat settings", () => {
  it("reads triggers, rooms and the puppet from the environment", () => {
    const config = wechatConfig({
      WECHATY_PUPPET: "wechaty-puppet-service",
      WECHATY_PUPPET_SERVICE_TOKEN: "puppet_token",
      WECHAT_TRIGGERS: "问，投诉, 小助手",
      WECHAT_ALLOWED_ROOMS: "鹰城花园业主群,123@chatroom",
      RATE_LIMIT_USER_PER_MINUTE: "5",
    });
    expect(config.puppet).toBe("wechaty-puppet-service");
    expect(config.puppetToken).toBe("puppet_token");
    expect(config.triggers).toEqual(["问", "投诉", "小助手"]);
    expect(config.allowedRooms).toEqual(["鹰城花园业主群", "123@chatroom"]);
    expect(config.rateLimits).toEqual({ perUserPerMinute: 5, perGroupPerMinute: 30 });
    const defaults = wechatConfig({ WECHAT_TRIGGERS: "" });
    expect(defaults.triggers).toEqual(DEFAULT_TRIGGERS);
    expect(defaults.puppet).toBe("wechaty-puppet-wechat4u");
    expect(defaults.groupMapFileRequired).toBe(false);
  });

  it("names the key in a configuration mistake", () => {
    expect(() => wechatConfig({ WECHATY_PUPPET: "padlocal" })).toThrow(/WECHATY_PUPPET/);
    expect(() => wechatConfig({ WECHATY_PUPPET: "wechaty-puppet-service" })).toThrow(
      /WECHATY_PUPPET_SERVICE_TOKEN/,
    );
    expect(() => wechatConfig({ WECHAT_NOTIFY_INTERVAL_MS: "soon" })).toThrow(
      /WECHAT_NOTIFY_INTERVAL_MS/,
    );
  });

  it("strips addressing triggers but keeps a request to complain", () => {
    expect(afterTrigger("@物业助手 物业费怎么交", DEFAULT_TRIGGERS)).toBe("物业费怎么交");
    expect(afterTrigger("问：物业费怎么交", DEFAULT_TRIGGERS)).toBe("物业费怎么交");
    expect(afterTrigger("投诉 电梯坏了一个月", DEFAULT_TRIGGERS)).toBe("投诉 电梯坏了一个月");
    expect(afterTrigger("物业费怎么交", DEFAULT_TRIGGERS)).toBeUndefined();
  });
});
