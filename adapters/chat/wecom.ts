import { AsyncLocalStorage } from "node:async_hooks";
import {
  type BaseMessage,
  generateReqId,
  type Logger as SdkLogger,
  WSClient,
  type WsFrame,
} from "@wecom/aibot-node-sdk";
import type { Engine } from "../../bot/engine.ts";
import type { EngineLogger } from "../../bot/logger.ts";
import type { Attachment, IncomingMessage } from "../../bot/message.ts";
import type { CaseStore } from "../cases/case-store.ts";
import { type ChannelPort, type ChannelRuntime, createChannelRuntime } from "./channel-runtime.ts";
import type { RateLimits } from "./config.ts";
import type { GroupMap } from "./group-map.ts";
import { WELCOME_TEXT } from "./welcome.ts";

export const WECOM_PLATFORM = "wecom";
/** A smart bot's message holds 20480 bytes; 4000 characters stay under it even all in Chinese. */
export const WECOM_MAX_CHARS = 4000;
export const DEFAULT_WECOM_NOTIFY_INTERVAL_MS = 60_000;

export interface WecomChannelOptions {
  botId: string;
  secret: string;
  /** The long-connection address; the SDK's official one when absent (tests: a loopback server). */
  wsUrl?: string;
  engine: Engine;
  store: CaseStore;
  logger: EngineLogger;
  groupMap?: GroupMap;
  rateLimits?: RateLimits;
  /** How often status updates are sent; 0 turns the timer off (tests call deliverNotifications). */
  notifyIntervalMs?: number;
  /** Passed to the SDK (tests shorten them). */
  heartbeatIntervalMs?: number;
  reconnectIntervalMs?: number;
}

export interface WecomChannel {
  readonly client: WSClient;
  readonly runtime: ChannelRuntime;
  readonly port: ChannelPort;
  /** Connects (the SDK authenticates, keeps the heartbeat and reconnects); resolves once authenticated. */
  start(timeoutMs?: number): Promise<void>;
  deliverNotifications(): Promise<number>;
  /** Stops taking messages, waits for replies in flight, then disconnects. */
  stop(): Promise<void>;
}

/** The frame being answered: the first reply to it goes back on its req_id. */
interface Turn {
  frame: WsFrame;
  conversationId: string;
  replied: boolean;
}

/** A leading @-mention (or several), as WeCom puts the bot's name before the words. */
const LEADING_MENTIONS = /^(?:\s*@\S+[\s\u2005]+)+/;

/**
 * The SDK's own log lines at debug level carry whole message bodies; only
 * its info, warn and error lines are kept, under one event name.
 */
function sdkLogger(logger: EngineLogger): SdkLogger {
  const line = (args: unknown[]) =>
    args
      .map((a) => (a instanceof Error ? a.message : String(a)))
      .join(" ")
      .slice(0, 300);
  return {
    debug() {},
    info: (message, ...args) => logger.info({ event: "wecom_sdk", line: line([message, ...args]) }),
    warn: (message, ...args) => logger.warn({ event: "wecom_sdk", line: line([message, ...args]) }),
    error: (message, ...args) =>
      logger.error({ event: "wecom_sdk", line: line([message, ...args]) }),
  };
}

/**
 * The WeCom (企业微信) smart bot on the shared channel runtime, over the
 * SDK's WebSocket long connection (no public URL needed). It answers in
 * single chats and, when mentioned, in groups; a complaint started in a
 * group continues in the member's single chat; status updates are pushed to
 * the member who filed.
 */
export function createWecomChannel(options: WecomChannelOptions): WecomChannel {
  const { logger } = options;
  const client = new WSClient({
    botId: options.botId,
    secret: options.secret,
    ...(options.wsUrl ? { wsUrl: options.wsUrl } : {}),
    // A bot for residents should come back however long the network was away.
    maxReconnectAttempts: -1,
    ...(options.heartbeatIntervalMs ? { heartbeatInterval: options.heartbeatIntervalMs } : {}),
    ...(options.reconnectIntervalMs ? { reconnectInterval: options.reconnectIntervalMs } : {}),
    logger: sdkLogger(logger),
  });
  const turn = new AsyncLocalStorage<Turn>();
  const unmapped = new Set<string>();

  const port: ChannelPort = {
    platform: WECOM_PLATFORM,
    maxMessageChars: WECOM_MAX_CHARS,
    // A member's single chat with the bot is addressed by their userid.
    privateConversationOf: (senderId) => senderId,
    async send(out) {
      const current = turn.getStore();
      if (current && !current.replied && current.conversationId === out.conversationId) {
        current.replied = true;
        // The answer to a message goes back on its req_id, shown as the reply to it.
        try {
          await client.replyStream(current.frame, generateReqId("stream"), out.text, true);
          return;
        } catch (e) {
          // WeCom refused the reply (its window for this message had closed): the answer is
          // pushed to the same chat instead. A timeout is not retried: the reply may have arrived.
          const refused = typeof e === "object" && e !== null && "errcode" in e;
          logger.warn({
            event: "wecom_reply_failed",
            refused,
            error: e instanceof Error ? e.message : String((e as { errmsg?: unknown }).errmsg),
          });
          if (!refused) throw e;
        }
      }
      const mention =
        out.chatType === "group" && out.mentionSenderId ? `<@${out.mentionSenderId}> ` : "";
      await client.sendMessage(out.conversationId, {
        msgtype: "markdown",
        markdown: { content: `${mention}${out.text}` },
      });
    },
  };

  const runtime = createChannelRuntime({
    engine: options.engine,
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

  function toIncoming(body: BaseMessage): IncomingMessage | undefined {
    const userId = body.from?.userid;
    if (!userId || !body.msgid) return undefined;
    const group = body.chattype === "group" && body.chatid ? body.chatid : undefined;
    let text = "";
    let attachment: Attachment | undefined;
    const ref = `wecom:${body.msgid}`;
    switch (body.msgtype) {
      case "text":
        text = String(body.text?.content ?? "");
        break;
      case "voice":
        // WeCom sends a voice message already turned into words.
        text = String(body.voice?.content ?? "");
        break;
      case "mixed": {
        const items: { msgtype?: string; text?: { content?: string } }[] =
          body.mixed?.msg_item ?? [];
        text = items
          .filter((i) => i.msgtype === "text")
          .map((i) => i.text?.content ?? "")
          .join("\n");
        if (items.some((i) => i.msgtype === "image")) attachment = { kind: "image", ref };
        break;
      }
      case "image":
        attachment = { kind: "image", ref };
        break;
      case "file":
        attachment = { kind: "file", ref };
        break;
      case "video":
        attachment = { kind: "video", ref };
        break;
      default:
        return undefined;
    }
    if (group) text = text.replace(LEADING_MENTIONS, "");
    const info = group ? options.groupMap?.groupInfo(WECOM_PLATFORM, group) : undefined;
    if (group && !info && !unmapped.has(group)) {
      // The chatid to put in the group map; WeCom shows it nowhere else.
      unmapped.add(group);
      logger.info({ event: "group_unmapped", platform: WECOM_PLATFORM, chat: group });
    }
    return {
      platform: WECOM_PLATFORM,
      conversationId: group ?? userId,
      chatType: group ? "group" : "private",
      senderId: userId,
      messageId: body.msgid,
      text: text.trim(),
      ...(attachment ? { attachment } : {}),
      ...(info
        ? {
            group: {
              ...(info.community ? { community: info.community } : {}),
              district: info.district,
            },
          }
        : {}),
    };
  }

  function onMessage(frame: WsFrame<BaseMessage>): void {
    const body = frame.body;
    const incoming = body ? toIncoming(body) : undefined;
    if (!incoming) return;
    const state: Turn = { frame, conversationId: incoming.conversationId, replied: false };
    void turn.run(state, () => runtime.handle(incoming));
  }

  client.on("message", onMessage);
  client.on("event.enter_chat", (frame) => {
    // The welcome must go back within 5 seconds of the event, so it is a fixed text.
    client
      .replyWelcome(frame, { msgtype: "text", text: { content: WELCOME_TEXT } })
      .catch((e: unknown) =>
        logger.warn({
          event: "wecom_welcome_failed",
          error: e instanceof Error ? e.message : String(e),
        }),
      );
  });
  client.on("event.disconnected_event", () =>
    logger.warn({ event: "wecom_replaced", note: "another connection took over this bot" }),
  );
  client.on("connected", () => logger.info({ event: "wecom_connected" }));
  client.on("authenticated", () => logger.info({ event: "wecom_authenticated" }));
  client.on("disconnected", (reason) => logger.warn({ event: "wecom_disconnected", reason }));
  client.on("reconnecting", (attempt) => logger.warn({ event: "wecom_reconnecting", attempt }));
  client.on("error", (error) => logger.error({ event: "wecom_error", error: error.message }));

  let delivering: Promise<number> | undefined;
  function deliverNotifications(): Promise<number> {
    if (!client.isConnected) return Promise.resolve(0);
    // One pass at a time, so a slow send never posts the same update twice.
    delivering ??= runtime.deliverNotifications().finally(() => {
      delivering = undefined;
    });
    return delivering;
  }
  const interval = options.notifyIntervalMs ?? DEFAULT_WECOM_NOTIFY_INTERVAL_MS;
  const timer =
    interval > 0
      ? setInterval(() => {
          deliverNotifications().catch((e: unknown) =>
            logger.error({
              event: "notify_failed",
              platform: WECOM_PLATFORM,
              error: e instanceof Error ? e.message : String(e),
            }),
          );
        }, interval)
      : undefined;
  timer?.unref();

  return {
    client,
    runtime,
    port,
    start(timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const fail = (e: Error) => {
          if (e.name === "WSAuthFailureError" || /Authentication failed/i.test(e.message)) {
            cleanup();
            reject(e);
          }
        };
        const ok = () => {
          cleanup();
          resolve();
        };
        const giveUp = setTimeout(() => {
          cleanup();
          reject(new Error(`no authenticated connection within ${timeoutMs} ms`));
        }, timeoutMs);
        function cleanup() {
          clearTimeout(giveUp);
          client.off("authenticated", ok);
          client.off("error", fail);
        }
        client.once("authenticated", ok);
        client.on("error", fail);
        client.connect();
      });
    },
    deliverNotifications,
    async stop() {
      if (timer) clearInterval(timer);
      client.off("message", onMessage);
      await runtime.shutdown();
      await delivering?.catch(() => undefined);
      client.disconnect();
    },
  };
}
