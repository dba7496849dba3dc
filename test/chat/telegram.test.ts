import { mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage as HttpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { parseGroupMap } from "../../adapters/chat/group-map.ts";
import { createTelegramChannel, type TelegramChannel } from "../../adapters/chat/telegram.ts";
import { createLogger } from "../../adapters/logging.ts";
import { createEngine, type Engine } from "../../bot/engine.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";

// --- a loopback server speaking the Bot API subset the channel uses ---------

interface Call {
  method: string;
  params: Record<string, unknown>;
}

const BOT = { id: 777000, is_bot: true, first_name: "物业助手", username: "wuye_test_bot" };
const TOKEN = "123456:TEST-token-abcdefghij";

function fakeBotApi() {
  const calls: Call[] = [];
  let pending: unknown[] = [];
  let waiter: (() => void) | undefined;
  let nextMessageId = 5000;
  /** Private chats whose member never opened the bot: sendMessage answers 403 there. */
  const unreachable = new Set<string>();

  const readBody = (req: HttpRequest) =>
    new Promise<Record<string, unknown>>((resolve) => {
      let data = "";
      req.on("data", (c: Buffer) => {
        data += c.toString("utf8");
      });
      req.on("end", () => resolve(data ? (JSON.parse(data) as Record<string, unknown>) : {}));
    });

  const server: Server = createServer(async (req, res) => {
    const method = req.url?.match(/^\/bot[^/]+\/(\w+)/)?.[1] ?? "";
    const params = await readBody(req);
    const reply = (result: unknown, status = 200, description?: string) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(
        JSON.stringify(
          status === 200 ? { ok: true, result } : { ok: false, error_code: status, description },
        ),
      );
    };
    if (method !== "getUpdates") calls.push({ method, params });
    switch (method) {
      case "getMe":
        return reply(BOT);
      case "getUpdates": {
        if (pending.length === 0 && Number(params.timeout ?? 0) > 0) {
          // Long-poll-ish: hold the request until updates arrive or a short while passes.
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 200);
            waiter = () => {
              clearTimeout(t);
              resolve();
            };
          });
          waiter = undefined;
        }
        const batch = pending;
        pending = [];
        if (res.destroyed) {
          pending = [...batch, ...pending]; // the client gave up (stop); keep them
          return;
        }
        return reply(batch);
      }
      case "sendMessage": {
        const chatId = String(params.chat_id);
        if (unreachable.has(chatId))
          return reply(undefined, 403, "Forbidden: bot can't initiate conversation with a user");
        return reply({
          message_id: nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(chatId), type: Number(chatId) < 0 ? "supergroup" : "private" },
          text: params.text,
        });
      }
      default:
        // answerCallbackQuery, deleteWebhook, setMyCommands, setWebhook, editMessageReplyMarkup …
        return reply(true);
    }
  });

  return {
    calls,
    unreachable,
    push(...updates: unknown[]) {
      pending.push(...updates);
      waiter?.();
    },
    sent(chatId?: string | number) {
      return calls
        .filter((c) => c.method === "sendMessage")
        .filter((c) => chatId === undefined || String(c.params.chat_id) === String(chatId))
        .map((c) => c.params);
    },
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, "127.0.0.1", () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// --- update builders --------------------------------------------------------

let updateId = 100;
let messageId = 1;
const user = (id: number) => ({ id, is_bot: false, first_name: "张", last_name: "三" });
const privateChat = (id: number) => ({ id, type: "private", first_name: "张" });
const groupChat = (id: number) => ({ id, type: "supergroup", title: "业主群" });

function textUpdate(
  chat: { id: number; type: string },
  from: number,
  text: string,
  entities?: unknown[],
) {
  return {
    update_id: updateId++,
    message: {
      message_id: messageId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: user(from),
      text,
      ...(entities ? { entities } : {}),
    },
  };
}

function command(chat: { id: number; type: string }, from: number, name: string, rest: string) {
  const head = `/${name}`;
  return textUpdate(chat, from, `${head} ${rest}`, [
    { type: "bot_command", offset: 0, length: head.length },
  ]);
}

async function until<T>(probe: () => T | undefined | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A mainland mobile number standing alone (log timestamps are longer digit runs). */
const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/;

// --- the tests ----------------------------------------------------------------

describe("Telegram channel (grammY against a loopback Bot API)", () => {
  const api = fakeBotApi();
  const logLines: string[] = [];
  const logger = createLogger({
    level: "debug",
    destination: { write: (line: string) => void logLines.push(line) },
  });
  const logs = () => logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
  let casebook: Casebook;
  let channel: TelegramChannel;
  let engine: Engine;
  const slowTexts = new Set<string>();
  let apiRoot = "";
  const MAPPED_GROUP = -100600;

  beforeAll(async () => {
    const knowledge = await shippedKnowledgeBase();
    casebook = new Casebook(join(mkdtempSync(join(tmpdir(), "wuye-tg-")), "casebook.sqlite"));
    const real = createEngine({
      knowledge,
      desk: casebook,
      conversations: casebook.conversations(),
      logger,
    });
    // The real engine, with the latency of a language model added to chosen questions.
    engine = {
      ...real,
      async handle(message) {
        if (slowTexts.has(message.text ?? "")) await sleep(400);
        return real.handle(message);
      },
    };
    apiRoot = await api.start();
    channel = createTelegramChannel({
      token: TOKEN,
      apiRoot,
      engine,
      store: casebook.store,
      logger,
      groupMap: parseGroupMap(
        `groups:\n  - platform: telegram\n    group: ${MAPPED_GROUP}\n    community: 鹰城花园\n    district: 卫东区\n`,
        "groups.yaml",
      ),
      rateLimits: { perUserPerMinute: 100, perGroupPerMinute: 100 },
      notifyIntervalMs: 100,
      pollTimeoutSeconds: 1,
    });
    const me = await channel.startPolling();
    expect(me.username).toBe(BOT.username);
  });

  afterAll(async () => {
    await channel?.stop();
    casebook?.close();
    await api.close();
    // Nothing the residents typed, no phone number and no name reached the log.
    const all = logLines.join("\n");
    expect(all).not.toMatch(PHONE);
    expect(all).not.toContain("张 三");
    expect(all).not.toContain("物业能停水吗");
  });

  it("starts like a real bot: getMe, deleteWebhook, setMyCommands", () => {
    const methods = api.calls.map((c) => c.method);
    expect(methods).toContain("getMe");
    expect(methods).toContain("deleteWebhook");
    expect(methods).toContain("setMyCommands");
  });

  it("answers a question in a private chat, citing an article", async () => {
    api.push(textUpdate(privateChat(1001), 1001, "物业能因为我没交物业费给我家停水吗"));
    const [reply] = await until(() => api.sent(1001).length > 0 && api.sent(1001));
    expect(String(reply?.text)).toContain("依据：");
  });

  it("answers `/ask 物业能停水吗` in the group, quoting the question", async () => {
    const update = command(groupChat(-100500), 1002, "ask", "物业能停水吗");
    api.push(update);
    const [reply] = await until(() => api.sent(-100500).length > 0 && api.sent(-100500));
    expect(String(reply?.text)).toContain("依据：");
    expect(reply?.reply_parameters).toMatchObject({ message_id: update.message.message_id });
    expect(api.sent(1002)).toHaveLength(0);
  });

  it("answers an @mention in a group and ignores group chatter not addressed to it", async () => {
    const group = groupChat(-100501);
    api.push(
      textUpdate(group, 1010, "今天天气不错，物业能停水吗"),
      textUpdate(group, 1010, "@wuye_test_bot 物业能停水吗", [
        { type: "mention", offset: 0, length: 14 },
      ]),
    );
    await until(() => api.sent(-100501).length > 0);
    await sleep(300);
    await channel.idle();
    expect(api.sent(-100501)).toHaveLength(1);
    expect(String(api.sent(-100501)[0]?.text)).toContain("依据：");
  });

  it("files a complaint when the inline-keyboard confirm button is tapped", async () => {
    const chat = privateChat(1003);
    api.push(textUpdate(chat, 1003, "我要投诉：卫东区鹰城花园的电梯坏了一个月没人修"));
    await until(() => api.sent(1003).length >= 1);
    await channel.idle();
    api.push(textUpdate(chat, 1003, "匿名"));
    const summary = await until(() =>
      api.sent(1003).find((s) => JSON.stringify(s.reply_markup ?? "").includes("confirm")),
    );
    expect(String(summary.text)).toContain("请核对您的投诉");
    const keyboard = (summary.reply_markup as { inline_keyboard: { callback_data: string }[][] })
      .inline_keyboard;
    const buttons = keyboard.flat().map((b) => b.callback_data);
    expect(buttons).toEqual(["confirm", "cancel"]);

    const before = api.sent(1003).length;
    api.push({
      update_id: updateId++,
      callback_query: {
        id: "cq-1003",
        from: user(1003),
        chat_instance: "ci",
        data: "confirm",
        message: { message_id: 4999, date: 0, chat, text: "请核对您的投诉" },
      },
    });
    const filed = await until(() =>
      api
        .sent(1003)
        .slice(before)
        .find((s) => String(s.text).includes("投诉编号")),
    );
    const number = String(filed.text).match(/PDS-\d{8}-\d{4}/)?.[0];
    expect(number).toBeDefined();
    const answered = api.calls.find((c) => c.method === "answerCallbackQuery");
    expect(answered?.params.callback_query_id).toBe("cq-1003");
    const row = casebook.db
      .prepare("SELECT id, district, community FROM cases WHERE number = ?")
      .get(number) as { id: string; district: string; community: string } | undefined;
    expect(row).toMatchObject({ district: "卫东区" });

    // A status change reaches the resident through the notification timer.
    casebook.changeStatus(row?.id ?? "", { status: "forwarded", actor: "staff", source: "staff" });
    const note = await until(() =>
      api
        .sent(1003)
        .find((s) => String(s.text).includes("有新进展") && String(s.text).includes(number ?? "?")),
    );
    expect(String(note.text)).toContain("已转交主管部门");
  });

  it("cancels with the cancel button; the contact given on the way is never logged", async () => {
    const chat = privateChat(1008);
    api.push(textUpdate(chat, 1008, "我要投诉：湛河区幸福小区的路灯坏了半个月没人修"));
    await until(() => api.sent(1008).length >= 1);
    await channel.idle();
    api.push(textUpdate(chat, 1008, "我叫李四，电话13912345678"));
    await until(() =>
      api.sent(1008).find((s) => JSON.stringify(s.reply_markup ?? "").includes("cancel")),
    );
    const before = api.sent(1008).length;
    api.push({
      update_id: updateId++,
      callback_query: {
        id: "cq-1008",
        from: user(1008),
        chat_instance: "ci",
        data: "cancel",
        message: { message_id: 4998, date: 0, chat, text: "请核对您的投诉" },
      },
    });
    const cancelled = await until(() =>
      api
        .sent(1008)
        .slice(before)
        .find((s) => String(s.text).includes("已取消")),
    );
    expect(cancelled).toBeDefined();
    expect(await engine.draftFor("telegram", "1008")).toBeUndefined();
    expect(
      api.calls.some(
        (c) => c.method === "answerCallbackQuery" && c.params.callback_query_id === "cq-1008",
      ),
    ).toBe(true);
    expect(logLines.join("\n")).not.toContain("13912345678");
  });

  it("starts a complaint from a mapped group with its community and district filled", async () => {
    api.push(command(groupChat(MAPPED_GROUP), 1006, "complain", "电梯坏了一个月没人修"));
    await until(() => api.sent(MAPPED_GROUP).length > 0 && api.sent(1006).length > 0);
    expect(String(api.sent(MAPPED_GROUP)[0]?.text)).toContain("私聊");
    const draft = await engine.draftFor("telegram", "1006");
    expect(draft?.draft.district).toBe("卫东区");
    expect(draft?.draft.community).toBe("鹰城花园");
  });

  it("tells the group how to open a private chat when the member never started the bot", async () => {
    api.unreachable.add("1007");
    api.push(command(groupChat(-100700), 1007, "complain", "楼道里堆满了杂物，物业一直不管"));
    const note = await until(() =>
      api.sent(-100700).find((s) => String(s.text).includes("t.me/wuye_test_bot")),
    );
    expect(String(note.text)).toContain("开始");

    // The member follows the link: /start in the private chat carries on with the complaint.
    api.unreachable.delete("1007");
    api.push(command(privateChat(1007), 1007, "start", "continue"));
    const next = await until(() => api.sent(1007)[0]);
    expect(String(next.text)).not.toContain("你好");
    expect(await engine.draftFor("telegram", "1007")).toBeDefined();
  });

  it("handles a duplicated update (same update_id) once", async () => {
    const update = textUpdate(privateChat(1004), 1004, "物业能停水吗");
    api.push(update, structuredClone(update));
    await until(() => api.sent(1004).length > 0);
    await sleep(300);
    await channel.idle();
    // Telegram may also redeliver it after a restart.
    api.push(structuredClone(update));
    await sleep(400);
    await channel.idle();
    expect(api.sent(1004)).toHaveLength(1);
    expect(logs().some((l) => l.event === "duplicate_skipped")).toBe(true);
  });

  it("logs and skips malformed updates and still answers the next one", async () => {
    const noFrom = textUpdate(privateChat(1005), 1005, "物业能停水吗") as {
      message: Record<string, unknown>;
    };
    delete noFrom.message.from;
    const wrongType = textUpdate(privateChat(1005), 1005, "x") as {
      message: Record<string, unknown>;
    };
    wrongType.message.text = 12345;
    api.push(noFrom, wrongType, textUpdate(privateChat(1005), 1005, "物业能停水吗"));
    await until(() => api.sent(1005).length > 0);
    await sleep(200);
    await channel.idle();
    expect(api.sent(1005)).toHaveLength(1);
    expect(String(api.sent(1005)[0]?.text)).toContain("依据：");
    const malformed = logs().filter((l) => l.event === "malformed_update");
    expect(malformed.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(malformed)).toContain("message.from");
  });

  it("answers one chat's messages in the order they were sent", async () => {
    const group = groupChat(-100800);
    const other = groupChat(-100801);
    // A slow question first and quick small talk after: out of order if run concurrently.
    slowTexts.add("业主大会怎么成立，需要多少业主同意");
    const updates = [
      command(group, 1020, "ask", "业主大会怎么成立，需要多少业主同意"),
      command(group, 1021, "ask", "你好"),
      command(other, 1022, "ask", "物业费多久公示一次"),
      command(group, 1020, "ask", "电动车在楼道充电谁管"),
      command(group, 1021, "ask", "您好"),
      command(group, 1023, "ask", "物业能停水吗"),
    ];
    api.push(...updates);
    await until(() => api.sent(-100800).length >= 5 && api.sent(-100801).length >= 1);
    const quoted = api
      .sent(-100800)
      .map((s) => (s.reply_parameters as { message_id: number } | undefined)?.message_id);
    const expected = updates
      .filter((u) => u.message.chat.id === -100800)
      .map((u) => u.message.message_id);
    expect(quoted).toEqual(expected);
    // …while another chat is not held up behind the slow one.
    const sends = api.calls.filter((c) => c.method === "sendMessage");
    const firstOther = sends.findIndex((c) => String(c.params.chat_id) === "-100801");
    const firstGroup = sends.findIndex((c) => String(c.params.chat_id) === "-100800");
    expect(firstOther).toBeLessThan(firstGroup);
  });

  it("serves the webhook mode: secret checked, update answered, webhook registered", async () => {
    const hook = createTelegramChannel({
      token: TOKEN,
      apiRoot,
      engine,
      store: casebook.store,
      logger,
      notifyIntervalMs: 60_000,
    });
    const server = await hook.startWebhook({
      url: "https://bot.example.invalid/telegram/hook",
      secret: "s3cret-s3cret-s3cret",
      host: "127.0.0.1",
      port: 0,
    });
    try {
      const registered = api.calls.find((c) => c.method === "setWebhook");
      expect(registered?.params).toMatchObject({
        url: "https://bot.example.invalid/telegram/hook",
        secret_token: "s3cret-s3cret-s3cret",
      });
      const update = textUpdate(privateChat(1030), 1030, "物业能停水吗");
      const post = (secret: string) =>
        fetch(`${server.url}/telegram/hook`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-telegram-bot-api-secret-token": secret,
          },
          body: JSON.stringify(update),
        });
      expect((await post("wrong-secret")).status).toBe(401);
      expect((await post("s3cret-s3cret-s3cret")).status).toBe(200);
      const [reply] = await until(() => api.sent(1030).length > 0 && api.sent(1030));
      expect(String(reply?.text)).toContain("依据：");
    } finally {
      await hook.stop();
    }
  });
});
