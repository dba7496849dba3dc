import {
  type Contact,
  type Message,
  type PuppetModuleName,
  types,
  type Wechaty,
  WechatyBuilder,
  type WechatyOptions,
} from "wechaty";
import type { Engine } from "../../bot/engine.ts";
import type { EngineLogger } from "../../bot/logger.ts";
import type { Attachment, IncomingMessage } from "../../bot/message.ts";
import type { CaseStore } from "../cases/case-store.ts";
import { type ChannelPort, type ChannelRuntime, createChannelRuntime } from "./channel-runtime.ts";
import {
  DEFAULT_NOTIFY_INTERVAL_MS,
  DEFAULT_TRIGGERS,
  type WechatConfig,
} from "./wechat-config.ts";

export const WECHAT_PLATFORM = "wechat";
/** WeChat accepts longer texts, but long walls of text are cut or folded on phones; leave room for the @-mention. */
export const WECHAT_MAX_CHARS = 1500;

/** The community and district a group belongs to, from the group map. */
export interface GroupDetails {
  community?: string;
  district?: string;
}
/** Looks a group up by its id or its topic; undefined when the group map does not list it. */
export type GroupInfoLookup = (platform: string, roomIdOrTopic: string) => GroupDetails | undefined;

/** Builds the Wechaty instance for the configured puppet (not started). */
export function buildWechaty(config: Pick<WechatConfig, "name" | "puppet" | "puppetToken">) {
  const options: WechatyOptions = {
    name: config.name,
    // Any wechaty-puppet-* package may be named (checked in wechat-config.ts); wechaty loads it at start.
    puppet: config.puppet as PuppetModuleName,
    ...(config.puppetToken ? { puppetOptions: { token: config.puppetToken } } : {}),
  };
  return WechatyBuilder.build(options);
}

/** How each WeChat message type reaches the engine; undefined means ignore it. */
const ATTACHMENT_KINDS: Partial<Record<types.Message, Attachment["kind"]>> = {
  [types.Message.Image]: "image",
  [types.Message.Audio]: "voice",
  [types.Message.Video]: "video",
  [types.Message.Attachment]: "file",
  [types.Message.Emoticon]: "sticker",
  [types.Message.Url]: "link",
  [types.Message.MiniProgram]: "link",
  [types.Message.Contact]: "other",
  [types.Message.ChatHistory]: "other",
  [types.Message.Location]: "other",
  [types.Message.Transfer]: "other",
  [types.Message.RedEnvelope]: "other",
  // Recalled, GroupNote, Post and Unknown are system notices, not something a resident said.
};

/**
 * Triggers that are themselves a request stay in the text: 「投诉 电梯坏了」 must
 * still read as a wish to file a complaint once it reaches the engine.
 */
const MEANINGFUL_TRIGGER = /^(投诉|举报|反映)/;
const LEADING_SEPARATORS = /^[\s\u2005:：,，、]+/;

/**
 * The text after a leading trigger, or undefined when the text does not start
 * with one. The longest matching trigger wins so 「@物业助手」 beats 「@」.
 */
export function afterTrigger(text: string, triggers: readonly string[]): string | undefined {
  const trimmed = text.trim();
  const trigger = [...triggers]
    .filter((t) => t !== "" && trimmed.startsWith(t))
    .sort((a, b) => b.length - a.length)[0];
  if (trigger === undefined) return undefined;
  if (MEANINGFUL_TRIGGER.test(trigger)) return trimmed;
  return trimmed.slice(trigger.length).replace(LEADING_SEPARATORS, "");
}

function stripLeadingMention(text: string, name: string): string {
  const trimmed = text.trim();
  if (name === "" || !trimmed.startsWith(`@${name}`)) return trimmed;
  return trimmed.slice(name.length + 1).replace(LEADING_SEPARATORS, "");
}

export interface WechatChannelOptions {
  wechaty: Wechaty;
  engine: Engine;
  store: CaseStore;
  logger: EngineLogger;
  /** Words that make the bot answer in a group without an @-mention (default 问, 投诉, @物业助手). */
  triggers?: readonly string[];
  /** Room topics or ids the bot may speak in, besides the groups `groupInfo` knows. */
  allowedRooms?: readonly string[];
  groupInfo?: GroupInfoLookup;
  /** How often status updates are sent; 0 turns the timer off (tests call deliverNotifications). */
  notifyIntervalMs?: number;
  /** Messages older than this are replays after a reconnect and are not answered. */
  maxAgeSeconds?: number;
  perUserPerMinute?: number;
  perGroupPerMinute?: number;
}

export interface WechatChannel {
  readonly runtime: ChannelRuntime;
  readonly port: ChannelPort;
  /** What the engine would receive for a WeChat message, or undefined when the bot stays silent. */
  toIncoming(message: Message): Promise<IncomingMessage | undefined>;
  /** Handles one WeChat message (the channel already listens on the wechaty instance). */
  handle(message: Message): Promise<void>;
  deliverNotifications(): Promise<number>;
  /** Stops listening and the status timer, and waits for replies in flight; wechaty itself keeps running. */
  stop(): Promise<void>;
}

/**
 * Connects a Wechaty instance to the shared channel runtime: decides which
 * WeChat messages the bot answers (private chats always; listed groups only
 * when @-mentioned or addressed with a trigger), turns them into engine
 * messages, and sends replies back with an @-mention of the asker.
 */
export function createWechatChannel(options: WechatChannelOptions): WechatChannel {
  const { wechaty, logger } = options;
  const triggers = options.triggers ?? DEFAULT_TRIGGERS;
  const allowed = new Set(options.allowedRooms ?? []);
  const maxAge = options.maxAgeSeconds ?? 180;

  const port: ChannelPort = {
    platform: WECHAT_PLATFORM,
    maxMessageChars: WECHAT_MAX_CHARS,
    privateConversationOf: (senderId) => senderId,
    async send(out) {
      // Not found means the resident left the group or deleted the bot (or, on web protocols,
      // the id belongs to an earlier login). Skipping keeps one unreachable chat from holding up
      // every status update queued behind it.
      if (out.chatType === "group") {
        const room = await wechaty.Room.find({ id: out.conversationId });
        if (!room) return unreachable("group");
        const member = out.mentionSenderId
          ? await wechaty.Contact.find({ id: out.mentionSenderId })
          : undefined;
        if (member) await room.say(out.text, member);
        else await room.say(out.text);
        return;
      }
      const contact = await wechaty.Contact.find({ id: out.conversationId });
      if (!contact) return unreachable("private");
      await contact.say(out.text);
    },
  };

  function unreachable(chat: "group" | "private"): void {
    logger.warn({ event: "wechat_unreachable", platform: WECHAT_PLATFORM, chat });
  }

  const runtime = createChannelRuntime({
    engine: options.engine,
    store: options.store,
    port,
    logger,
    ...(options.perUserPerMinute !== undefined
      ? { perUserPerMinute: options.perUserPerMinute }
      : {}),
    ...(options.perGroupPerMinute !== undefined
      ? { perGroupPerMinute: options.perGroupPerMinute }
      : {}),
  });

  const isBot = (contact: Contact): boolean =>
    contact.self() || contact.type() === types.Contact.Official;

  function groupOf(roomId: string, topic: string): GroupDetails | undefined {
    if (!options.groupInfo) return undefined;
    return options.groupInfo(WECHAT_PLATFORM, roomId) ?? options.groupInfo(WECHAT_PLATFORM, topic);
  }

  async function attachmentOf(message: Message, kind: Attachment["kind"]): Promise<Attachment> {
    let ref = `wechat:${message.id}`;
    if (message.type() === types.Message.Url) {
      // A shared link's address says more to staff than a message id.
      ref = await message
        .toUrlLink()
        .then((link) => link.url().slice(0, 2000) || ref)
        .catch(() => ref);
    }
    return { kind, ref };
  }

  async function toIncoming(message: Message): Promise<IncomingMessage | undefined> {
    if (message.self()) return undefined;
    const talker = message.talker();
    if (isBot(talker)) return undefined;
    if (message.age() > maxAge) return undefined;
    const type = message.type();
    const isText = type === types.Message.Text;
    const kind = isText ? undefined : ATTACHMENT_KINDS[type];
    if (!isText && !kind) return undefined;

    const base = {
      platform: WECHAT_PLATFORM,
      senderId: talker.id,
      senderName: talker.name().slice(0, 128),
      messageId: message.id,
    };
    const room = message.room();
    if (!room) {
      return {
        ...base,
        conversationId: talker.id,
        chatType: "private",
        text: isText ? message.text().trim() : "",
        ...(kind ? { attachment: await attachmentOf(message, kind) } : {}),
      };
    }

    const topic = await room.topic();
    const group = groupOf(room.id, topic);
    if (!group && !allowed.has(room.id) && !allowed.has(topic)) return undefined;
    const mentioned = await message.mentionSelf();
    let text = "";
    if (isText) {
      const selfName = wechaty.isLoggedIn ? wechaty.currentUser.name() : "";
      const spoken = mentioned
        ? stripLeadingMention(await message.mentionText(), selfName)
        : message.text();
      const addressed = afterTrigger(spoken, triggers);
      if (!mentioned && addressed === undefined) return undefined;
      text = addressed ?? spoken.trim();
    } else if (!mentioned) {
      // Pictures and stickers fly around groups all day; only one aimed at the bot is answered.
      return undefined;
    }
    const details = {
      ...(group?.community ? { community: group.community } : {}),
      ...(group?.district ? { district: group.district } : {}),
    };
    return {
      ...base,
      conversationId: room.id,
      chatType: "group",
      text,
      ...(kind ? { attachment: await attachmentOf(message, kind) } : {}),
      ...(Object.keys(details).length > 0 ? { group: details } : {}),
    };
  }

  async function handle(message: Message): Promise<void> {
    let incoming: IncomingMessage | undefined;
    try {
      incoming = await toIncoming(message);
    } catch (e) {
      logger.error({
        event: "wechat_message_unreadable",
        error: e instanceof Error ? e.message : String(e),
      });
      return;
    }
    if (incoming) await runtime.handle(incoming);
  }

  const onMessage = (message: Message) => {
    void handle(message);
  };
  wechaty.on("message", onMessage);

  let delivering: Promise<number> | undefined;
  async function deliverNotifications(): Promise<number> {
    if (!wechaty.isLoggedIn) return 0;
    // One delivery at a time, so a slow send never posts the same update twice.
    delivering ??= runtime.deliverNotifications().finally(() => {
      delivering = undefined;
    });
    return delivering;
  }
  const interval = options.notifyIntervalMs ?? DEFAULT_NOTIFY_INTERVAL_MS;
  const timer =
    interval > 0
      ? setInterval(() => {
          deliverNotifications().catch((e: unknown) => {
            logger.error({
              event: "notify_failed",
              platform: WECHAT_PLATFORM,
              error: e instanceof Error ? e.message : String(e),
            });
          });
        }, interval)
      : undefined;
  timer?.unref();

  return {
    runtime,
    port,
    toIncoming,
    handle,
    deliverNotifications,
    async stop() {
      if (timer) clearInterval(timer);
      wechaty.off("message", onMessage);
      await runtime.shutdown();
      await delivering?.catch(() => undefined);
    },
  };
}
