import { type RunnerHandle, run, sequentialize } from "@grammyjs/runner";
import { Bot, type Context, GrammyError, InlineKeyboard } from "grammy";
import type { Update } from "grammy/types";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import type { Engine } from "../../bot/engine.ts";
import type { EngineLogger } from "../../bot/logger.ts";
import type { Attachment, IncomingMessage } from "../../bot/message.ts";
import type { CaseStore } from "../cases/case-store.ts";
import {
  type ChannelPort,
  type ChannelRuntime,
  createChannelRuntime,
  type Outbound,
} from "./channel-runtime.ts";
import type { RateLimits } from "./config.ts";
import { EMPTY_GROUP_MAP, type GroupMap } from "./group-map.ts";
import { listen, type RunningServer, safeEqual } from "./http-api.ts";

export const PLATFORM = "telegram";
/** Telegram allows 4096 UTF-16 units a message; a margin keeps split parts clear of it. */
const MAX_MESSAGE_CHARS = 4000;
const ALLOWED_UPDATES = ["message", "callback_query"] as const;

/** Inline-keyboard callback data, mapped back to IncomingMessage.action. */
export const CALLBACK_DATA = { confirm: "confirm", cancel: "cancel" } as const;
const BUTTON_LABELS = { confirm: "✅ 确认提交", cancel: "取消" } as const;
/** The word a tap stands for, so the engine reads the tap like the typed reply. */
const ACTION_WORDS = { confirm: "确认", cancel: "取消" } as const;
const CALLBACK_TOASTS = { confirm: "正在提交…", cancel: "正在取消…" } as const;

export const BOT_COMMANDS = [
  { command: "ask", description: "问物业管理问题，如 /ask 物业能停水吗" },
  { command: "complain", description: "登记投诉，如 /complain 电梯坏了一个月没人修" },
];

// --- the subset of a Telegram update this channel reads ---------------------

const User = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});
const Chat = z.looseObject({
  id: z.number().int(),
  type: z.enum(["private", "group", "supergroup", "channel"]),
});
const Entity = z.looseObject({
  type: z.string(),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  user: z.looseObject({ id: z.number().int() }).optional(),
});
const FileRef = z.looseObject({ file_id: z.string() });
const TgMessage = z.looseObject({
  message_id: z.number().int(),
  from: User,
  chat: Chat,
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(Entity).optional(),
  caption_entities: z.array(Entity).optional(),
  reply_to_message: z
    .looseObject({ from: z.looseObject({ id: z.number().int() }).optional() })
    .optional(),
  photo: z.array(FileRef).optional(),
  voice: FileRef.optional(),
  audio: FileRef.optional(),
  video: FileRef.optional(),
  video_note: FileRef.optional(),
  animation: FileRef.optional(),
  document: FileRef.extend({ mime_type: z.string().optional() }).optional(),
  sticker: FileRef.optional(),
});
const CallbackQuery = z.looseObject({
  id: z.string(),
  from: User,
  data: z.string().optional(),
  message: z.looseObject({ message_id: z.number().int(), chat: Chat }).optional(),
});
const TgUpdate = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: TgMessage.optional(),
  callback_query: CallbackQuery.optional(),
});
type TgMessage = z.infer<typeof TgMessage>;

export interface BotIdentity {
  id: number;
  username: string;
}

/** One update turned into what the runtime handles, or why it is ignored. */
export type Routed =
  | {
      kind: "message";
      chatId: string;
      message: IncomingMessage;
      /** Telegram's id of the resident's message, so a group reply can quote it. */
      replyTo?: number;
    }
  | {
      kind: "callback";
      chatId: string;
      message: IncomingMessage;
      callbackId: string;
      buttonMessageId: number;
    }
  | { kind: "ignored"; reason: string; callbackId?: string };

function attachmentOf(m: TgMessage): Attachment | undefined {
  const largestPhoto = m.photo?.[m.photo.length - 1];
  if (largestPhoto) return { kind: "image", ref: largestPhoto.file_id };
  if (m.voice) return { kind: "voice", ref: m.voice.file_id };
  if (m.audio) return { kind: "voice", ref: m.audio.file_id };
  const video = m.video ?? m.video_note ?? m.animation;
  if (video) return { kind: "video", ref: video.file_id };
  if (m.document)
    return {
      kind: m.document.mime_type?.startsWith("image/") ? "image" : "file",
      ref: m.document.file_id,
    };
  if (m.sticker) return { kind: "sticker", ref: m.sticker.file_id };
  return undefined;
}

const displayName = (u: z.infer<typeof User>) =>
  [u.first_name, u.last_name].filter(Boolean).join(" ").slice(0, 128) || undefined;

/**
 * Reads one raw update. Group chats only get answers to /ask, /complain,
 * @mentions and replies to the bot (a group is not a place to answer every
 * line); a private chat reads everything. Throws a ZodError on a malformed
 * update.
 */
export function routeUpdate(
  raw: unknown,
  me: BotIdentity,
  groupInfo: GroupMap["groupInfo"],
): Routed {
  const update = TgUpdate.parse(raw);
  const messageId = `tg:${update.update_id}`;

  const cq = update.callback_query;
  if (cq) {
    const action =
      cq.data === CALLBACK_DATA.confirm || cq.data === CALLBACK_DATA.cancel ? cq.data : undefined;
    if (!action || !cq.message || cq.message.chat.type === "channel")
      return { kind: "ignored", reason: "callback_unknown", callbackId: cq.id };
    const chat = cq.message.chat;
    const chatType = chat.type === "private" ? "private" : "group";
    const group = chatType === "group" ? groupInfo(PLATFORM, String(chat.id)) : undefined;
    return {
      kind: "callback",
      chatId: String(chat.id),
      callbackId: cq.id,
      buttonMessageId: cq.message.message_id,
      message: {
        platform: PLATFORM,
        conversationId: String(chat.id),
        chatType,
        senderId: String(cq.from.id),
        messageId,
        text: ACTION_WORDS[action],
        action,
        ...(group ? { group } : {}),
      },
    };
  }

  const m = update.message;
  if (!m) return { kind: "ignored", reason: "update_type" };
  if (m.from.is_bot) return { kind: "ignored", reason: "from_bot" };
  if (m.chat.type === "channel") return { kind: "ignored", reason: "channel" };
  const chatType = m.chat.type === "private" ? "private" : "group";
  const senderId = String(m.from.id);
  const rawText = m.text ?? m.caption ?? "";
  const entities = (m.text !== undefined ? m.entities : m.caption_entities) ?? [];

  let text: string;
  const command = entities.find((e) => e.type === "bot_command" && e.offset === 0);
  if (command) {
    const [name = "", target] = rawText.slice(1, command.length).split("@");
    if (target && target.toLowerCase() !== me.username.toLowerCase())
      return { kind: "ignored", reason: "other_bot_command" };
    const rest = rawText.slice(command.length).trim();
    switch (name.toLowerCase()) {
      case "ask":
        text = rest;
        break;
      case "complain":
        // Said in so many words, so the engine opens an intake rather than only answering.
        text = rest ? `我要投诉：${rest}` : "我要投诉";
        break;
      case "start":
      case "help":
        // A deep link back from a group lands here mid-complaint: carry on with it.
        text = "你好";
        break;
      default:
        return { kind: "ignored", reason: "unknown_command" };
    }
  } else if (chatType === "group") {
    const handle = `@${me.username}`.toLowerCase();
    const mentions = entities.filter(
      (e) =>
        (e.type === "mention" &&
          rawText.slice(e.offset, e.offset + e.length).toLowerCase() === handle) ||
        (e.type === "text_mention" && e.user?.id === me.id),
    );
    const repliesToBot = m.reply_to_message?.from?.id === me.id;
    if (mentions.length === 0 && !repliesToBot) return { kind: "ignored", reason: "not_addressed" };
    // Remove the mentions back to front so earlier offsets stay valid.
    text = rawText;
    for (const e of [...mentions].sort((a, b) => b.offset - a.offset))
      text = text.slice(0, e.offset) + text.slice(e.offset + e.length);
    text = text.trim();
  } else {
    text = rawText;
  }

  const attachment = attachmentOf(m);
  const group = chatType === "group" ? groupInfo(PLATFORM, String(m.chat.id)) : undefined;
  const name = displayName(m.from);
  return {
    kind: "message",
    chatId: String(m.chat.id),
    replyTo: m.message_id,
    message: {
      platform: PLATFORM,
      conversationId: String(m.chat.id),
      chatType,
      senderId,
      ...(name ? { senderName: name } : {}),
      messageId,
      text,
      ...(attachment ? { attachment } : {}),
      ...(group ? { group } : {}),
    },
  };
}

// --- the channel -------------------------------------------------------------

export interface TelegramChannelOptions {
  token: string;
  /** The Bot API base URL; tests point it at a loopback server. */
  apiRoot?: string;
  engine: Engine;
  store: CaseStore;
  logger: EngineLogger;
  groupMap?: GroupMap;
  rateLimits?: RateLimits;
  /** How often pending status updates are sent (default 15 s). */
  notifyIntervalMs?: number;
  /** getUpdates long-poll timeout in seconds (default 30). */
  pollTimeoutSeconds?: number;
  /** Called when polling stops on its own (a revoked token, another instance polling). */
  onFatal?: (error: unknown) => void;
}

export interface WebhookOptions {
  /** The public https URL Telegram posts to; its path is the route served locally. */
  url: string;
  secret: string;
  host: string;
  port: number;
}

const PRIVATE_UNREACHABLE = (username: string) =>
  `我暂时没法私聊您。请点开 https://t.me/${username}?start=continue 并按「开始」，我会在私聊里接着帮您登记。`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The Telegram channel over grammY: long polling (grammY's runner) by default
 * or a webhook; grammY's own routing (bot.command, bot.callbackQuery,
 * chat-type filters) with `sequentialize` keeping one chat's updates in order;
 * every message through the shared channel runtime (dedup, rate limits,
 * splitting, private follow-ups); a malformed update logged and skipped; status
 * updates pushed on a timer.
 */
export function createTelegramChannel(options: TelegramChannelOptions) {
  const { logger, engine } = options;
  const groupMap = options.groupMap ?? EMPTY_GROUP_MAP;
  const bot = new Bot(options.token, {
    client: options.apiRoot ? { apiRoot: options.apiRoot } : {},
  });
  /** Updates being handled, so stop() and tests can wait for them. */
  const inFlight = new Set<Promise<unknown>>();
  let runner: RunnerHandle | undefined;
  /** The message being answered in each chat (one at a time per chat), so a group reply can quote it. */
  const answering = new Map<string, { senderId: string; messageId: number }>();
  /** The group each member is being answered in, in case their private chat turns out closed. */
  const groupOfSender = new Map<string, string>();
  const unmappedSeen = new Set<string>();
  let identity: BotIdentity | undefined;
  let notifier: ReturnType<typeof setInterval> | undefined;
  let delivering: Promise<unknown> = Promise.resolve();
  let webhookServer: RunningServer | undefined;
  let polling: Promise<void> | undefined;
  let stopped = false;

  /** Sends, waiting out Telegram's flood limit (429 retry_after) a couple of times. */
  async function sendWithRetry(
    chatId: string,
    text: string,
    other: Parameters<typeof bot.api.sendMessage>[2],
  ) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await bot.api.sendMessage(chatId, text, other);
      } catch (e) {
        const wait =
          e instanceof GrammyError && e.error_code === 429 ? e.parameters.retry_after : undefined;
        if (wait === undefined || attempt >= 2 || wait > 60) throw e;
        logger.warn({ event: "telegram_flood_wait", seconds: wait });
        await sleep(wait * 1000);
      }
    }
  }

  const port: ChannelPort = {
    platform: PLATFORM,
    maxMessageChars: MAX_MESSAGE_CHARS,
    privateConversationOf: (senderId) => senderId, // a private chat's id is the user's id
    async send(out: Outbound) {
      const other: NonNullable<Parameters<typeof bot.api.sendMessage>[2]> = {};
      if (out.actions && out.actions.length > 0) {
        const keyboard = new InlineKeyboard();
        for (const a of out.actions) keyboard.text(BUTTON_LABELS[a], CALLBACK_DATA[a]);
        other.reply_markup = keyboard;
      }
      const current = answering.get(out.conversationId);
      if (out.chatType === "group" && current && current.senderId === out.mentionSenderId)
        other.reply_parameters = {
          message_id: current.messageId,
          allow_sending_without_reply: true,
        };
      try {
        await sendWithRetry(out.conversationId, out.text, other);
      } catch (e) {
        // 403: the member never opened a private chat with the bot, or blocked it. Retrying cannot help.
        if (!(out.chatType === "private" && e instanceof GrammyError && e.error_code === 403))
          throw e;
        logger.warn({ event: "private_chat_unreachable", platform: PLATFORM });
        const group = groupOfSender.get(out.conversationId);
        if (group && identity)
          await sendWithRetry(group, PRIVATE_UNREACHABLE(identity.username), {});
      }
    },
  };

  const runtime: ChannelRuntime = createChannelRuntime({
    engine,
    store: options.store,
    port,
    logger,
    ...(options.rateLimits
      ? {
          perUserPerMinute: options.rateLimits.perUserPerMinute,
          perGroupPerMinute: options.rateLimits.perGroupPerMinute,
        }
      : {}),
  });

  async function acknowledge(callbackId: string, toast?: string) {
    try {
      await bot.api.answerCallbackQuery(callbackId, toast ? { text: toast } : {});
    } catch (e) {
      // A repeated or stale tap: Telegram refuses a second answer, which changes nothing.
      logger.warn({ event: "callback_answer_failed", error: errorText(e) });
    }
  }

  /** Hands one resident message to the runtime; the chat's updates arrive one at a time. */
  async function handle(routed: Extract<Routed, { kind: "message" | "callback" }>) {
    const { message, chatId } = routed;
    if (message.chatType === "group" && !message.group && !unmappedSeen.has(chatId)) {
      unmappedSeen.add(chatId);
      // A group id is not personal; operators need it to fill config/groups.yaml.
      logger.info({ event: "group_unmapped", platform: PLATFORM, chat: chatId });
    }
    const replyTo = routed.kind === "message" ? routed.replyTo : undefined;
    if (replyTo !== undefined)
      answering.set(chatId, { senderId: message.senderId, messageId: replyTo });
    if (message.chatType === "group") groupOfSender.set(message.senderId, chatId);
    try {
      await runtime.handle(message);
    } finally {
      answering.delete(chatId);
      if (groupOfSender.get(message.senderId) === chatId) groupOfSender.delete(message.senderId);
    }
  }

  const me = (): BotIdentity => {
    if (!identity) throw new Error("the Telegram channel is not started");
    return identity;
  };

  // Every update is counted while it is handled (stop() and tests wait for them).
  bot.use(async (_ctx, next) => {
    const job = next();
    inFlight.add(job);
    try {
      await job;
    } finally {
      inFlight.delete(job);
    }
  });

  // A malformed update is logged and skipped; nothing below reads it.
  bot.use(async (ctx, next) => {
    const checked = TgUpdate.safeParse(ctx.update);
    if (checked.success) return next();
    logger.warn({
      event: "malformed_update",
      platform: PLATFORM,
      updateId: typeof ctx.update.update_id === "number" ? ctx.update.update_id : undefined,
      problems: checked.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.code}`),
    });
  });

  // One chat's updates strictly in order; other chats are not held up (the runner runs them
  // concurrently, and the webhook does not wait for them).
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));

  // Other bots (and the bot itself) are never answered.
  bot.on("message", async (ctx, next) => {
    if (!ctx.from.is_bot) await next();
  });

  bot.callbackQuery([CALLBACK_DATA.confirm, CALLBACK_DATA.cancel], async (ctx) => {
    const routed = routeUpdate(ctx.update, me(), groupMap.groupInfo);
    if (routed.kind !== "callback") {
      await acknowledge(ctx.callbackQuery.id);
      return;
    }
    // Answer at once so the button stops spinning, and take the keyboard away so it is tapped once.
    const action = routed.message.action ?? "confirm";
    void acknowledge(routed.callbackId, CALLBACK_TOASTS[action]);
    void bot.api
      .editMessageReplyMarkup(routed.chatId, routed.buttonMessageId)
      .catch((e: unknown) => logger.warn({ event: "keyboard_remove_failed", error: errorText(e) }));
    await handle(routed);
  });
  // A stale or foreign button: just stop it spinning.
  bot.on("callback_query", (ctx) => acknowledge(ctx.callbackQuery.id));

  /** Commands, @mentions and replies, and private messages all read the same way (routeUpdate). */
  async function routeMessage(ctx: Context): Promise<void> {
    const routed = routeUpdate(ctx.update, me(), groupMap.groupInfo);
    if (routed.kind === "ignored") return;
    await handle(routed as Extract<Routed, { kind: "message" }>);
  }

  bot.command(["ask", "complain", "start", "help"], routeMessage);
  // Unknown commands and commands for other bots in a group are none of this bot's business.
  bot.on("message").filter(
    (ctx) =>
      (ctx.msg.entities ?? ctx.msg.caption_entities ?? []).some(
        (e) => e.type === "bot_command" && e.offset === 0,
      ),
    () => undefined,
  );
  // A private chat reads everything; a group only what addresses the bot (routeUpdate decides).
  bot.chatType("private").on("message", routeMessage);
  bot.chatType(["group", "supergroup"]).on("message", routeMessage);

  bot.catch((err) =>
    logger.error({ event: "telegram_middleware_error", error: errorText(err.error) }),
  );

  /** One raw update from the webhook (or a test); settles once it has been handled. */
  function dispatch(raw: unknown): Promise<void> {
    me();
    return bot.handleUpdate(raw as Update).catch((e: unknown) => {
      logger.error({ event: "telegram_middleware_error", error: errorText(e) });
    });
  }

  async function idle(): Promise<void> {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }

  async function prepare(): Promise<BotIdentity> {
    await bot.init();
    identity = { id: bot.botInfo.id, username: bot.botInfo.username };
    try {
      await bot.api.setMyCommands(BOT_COMMANDS);
    } catch (e) {
      logger.warn({ event: "set_commands_failed", error: errorText(e) });
    }
    return identity;
  }

  function startNotifier() {
    const tick = async () => {
      try {
        const sent = await runtime.deliverNotifications();
        if (sent > 0) logger.info({ event: "notifications_sent", platform: PLATFORM, count: sent });
      } catch (e) {
        logger.error({ event: "notifications_failed", platform: PLATFORM, error: errorText(e) });
      }
    };
    const every = options.notifyIntervalMs ?? 15_000;
    delivering = tick();
    notifier = setInterval(() => {
      // Never two rounds at once: the same notification could go out twice.
      delivering = delivering.then(tick);
    }, every);
  }

  return {
    bot,
    runtime,
    dispatch,
    /** Resolves when every update taken so far has been handled. */
    idle,
    get identity() {
      return identity;
    },

    /** Long polling through grammY's runner; resolves once polling has begun. */
    async startPolling(): Promise<BotIdentity> {
      const me = await prepare();
      // A webhook left from an earlier webhook-mode run would keep getUpdates from working.
      await bot.api.deleteWebhook();
      runner = run(bot, {
        runner: {
          fetch: {
            allowed_updates: [...ALLOWED_UPDATES],
            timeout: options.pollTimeoutSeconds ?? 30,
          },
          silent: true,
        },
      });
      polling = (runner.task() ?? Promise.resolve()).then(
        () => {
          if (!stopped) {
            logger.error({ event: "polling_stopped", platform: PLATFORM });
            options.onFatal?.(new Error("polling stopped"));
          }
        },
        (e: unknown) => {
          logger.error({ event: "polling_stopped", platform: PLATFORM, error: errorText(e) });
          options.onFatal?.(e);
        },
      );
      startNotifier();
      logger.info({ event: "telegram_started", mode: "polling", bot: me.username });
      return me;
    },

    /** Serves the webhook route locally and registers the public URL with Telegram. */
    async startWebhook(webhook: WebhookOptions): Promise<RunningServer> {
      const me = await prepare();
      const app = new Hono();
      const path = new URL(webhook.url).pathname || "/";
      app.post(
        path,
        bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: "请求体太大" }, 413) }),
        async (c) => {
          const presented = c.req.header("x-telegram-bot-api-secret-token") ?? "";
          if (!safeEqual(presented, webhook.secret)) {
            logger.warn({ event: "webhook_unauthorized", platform: PLATFORM });
            return c.json({ error: "未授权" }, 401);
          }
          let update: unknown;
          try {
            update = await c.req.json();
          } catch {
            return c.json({ error: "请求体不是有效的 JSON" }, 400);
          }
          // Acknowledge at once; answers go out through the Bot API, not the webhook response.
          void dispatch(update);
          return c.json({ ok: true });
        },
      );
      app.notFound((c) => c.json({ error: "没有这个接口" }, 404));
      webhookServer = await listen(app, { host: webhook.host, port: webhook.port });
      await bot.api.setWebhook(webhook.url, {
        secret_token: webhook.secret,
        allowed_updates: [...ALLOWED_UPDATES],
      });
      startNotifier();
      logger.info({ event: "telegram_started", mode: "webhook", bot: me.username });
      return webhookServer;
    },

    /**
     * Stops taking updates, finishes the replies already queued, and stops
     * the runtime. The caller closes the casebook afterwards.
     */
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      if (notifier) clearInterval(notifier);
      if (runner?.isRunning()) {
        try {
          await runner.stop();
        } catch (e) {
          logger.warn({ event: "polling_stop_failed", error: errorText(e) });
        }
      }
      await polling;
      // The webhook stays registered, so Telegram keeps updates until the next start.
      await webhookServer?.close();
      await idle();
      await delivering;
      await runtime.shutdown();
      logger.info({ event: "telegram_stopped", platform: PLATFORM });
    },
  };
}

export type TelegramChannel = ReturnType<typeof createTelegramChannel>;
