import type { Engine } from "../../bot/engine.ts";
import type { EngineLogger } from "../../bot/logger.ts";
import type { IncomingMessage, Reply } from "../../bot/message.ts";
import { type CaseStore, StoreBusyError } from "../cases/case-store.ts";
import { createMessageGate } from "./message-gate.ts";
import { splitMessage } from "./split-message.ts";

/** One message the runtime asks a platform to send. */
export interface Outbound {
  conversationId: string;
  chatType: "group" | "private";
  text: string;
  /** In a group, the member the reply answers (platforms that can @-mention do so). */
  mentionSenderId?: string;
  /** Buttons for the complaint confirmation, where the platform has them. */
  actions?: Reply["actions"];
}

/** What a chat platform adapter gives the runtime. */
export interface ChannelPort {
  readonly platform: string;
  /** The longest text one platform message may carry; longer replies are split. */
  readonly maxMessageChars: number;
  send(out: Outbound): Promise<void>;
  /** The private conversation id for a member, where complaint details continue. */
  privateConversationOf(senderId: string): string;
  /**
   * Whether a status update can reach this conversation now; when false it
   * stays pending for a later pass (an Official Account may write to a
   * resident only within 48 hours of the resident's last message).
   */
  canNotify?(conversationId: string): boolean;
}

export interface RuntimeOptions {
  engine: Engine;
  store: CaseStore;
  port: ChannelPort;
  logger: EngineLogger;
  /** Replies per user and per group per minute before one polite notice. */
  perUserPerMinute?: number;
  perGroupPerMinute?: number;
}

export const PRIVATE_UNREACHABLE =
  "我暂时没法私聊您。请先添加我为好友（或打开与我的私聊），再私聊我发「投诉」，我接着帮您登记。";

const BUSY_ATTEMPTS = 5;

export const SOMETHING_WENT_WRONG =
  "抱歉，我这边出了点问题，没能处理这条消息。请稍后再发一次；您正在登记的投诉不会丢失。";

export const RATE_NOTICE = "消息有点多，我先歇一会儿，请一分钟后再问。";

/**
 * Behaviour every channel shares: the message gate (each platform message
 * handled once, even across restarts and processes; one conversation's
 * messages in order; per-user and per-group rate limits with a single notice),
 * long replies split, complaint details sent privately, status updates
 * delivered to the chat a complaint came from, and a graceful stop that
 * finishes replies already in flight.
 */
export function createChannelRuntime(options: RuntimeOptions) {
  const { engine, store, port, logger } = options;
  const gate = createMessageGate({
    engine,
    store,
    logger,
    perUserPerMinute: options.perUserPerMinute ?? 10,
    perGroupPerMinute: options.perGroupPerMinute ?? 30,
  });
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  async function sendAll(out: Outbound): Promise<void> {
    for (const part of splitMessage(out.text, port.maxMessageChars)) {
      await port.send({ ...out, text: part });
    }
  }

  /**
   * A chat platform does not resend an update it has handed over, so a busy database is waited
   * out here (a few seconds, then the message is logged as failed) instead of answered 503.
   */
  async function handleWhenFree(message: IncomingMessage) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await gate.handle(message);
      } catch (error) {
        if (!(error instanceof StoreBusyError) || attempt >= BUSY_ATTEMPTS || stopping) throw error;
        logger.warn({ event: "store_busy", platform: port.platform, attempt });
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  }

  async function process(message: IncomingMessage): Promise<void> {
    const started = performance.now();
    const outcome = await handleWhenFree(message);
    if (outcome.kind === "limited") {
      if (outcome.notice) {
        await sendAll({
          conversationId: message.conversationId,
          chatType: message.chatType,
          text: RATE_NOTICE,
        });
      }
      logger.info({ event: "rate_limited", platform: port.platform, chat: message.chatType });
      return;
    }
    if (outcome.duplicate) {
      // A platform redelivering an update: it was answered the first time.
      logger.info({ event: "duplicate_skipped", platform: port.platform });
      return;
    }
    const reply = outcome.reply;
    await sendAll({
      conversationId: message.conversationId,
      chatType: message.chatType,
      text: reply.text,
      ...(message.chatType === "group" ? { mentionSenderId: message.senderId } : {}),
      ...(reply.actions && message.chatType === "private" ? { actions: reply.actions } : {}),
    });
    if (reply.privateText) {
      try {
        await sendAll({
          conversationId: port.privateConversationOf(message.senderId),
          chatType: "private",
          text: reply.privateText,
          ...(reply.actions ? { actions: reply.actions } : {}),
        });
      } catch (e: unknown) {
        // Platforms only let a bot write first to people who added it; say so in the group.
        logger.warn({
          event: "private_unreachable",
          platform: port.platform,
          error: e instanceof Error ? e.message : String(e),
        });
        if (message.chatType === "group") {
          await sendAll({
            conversationId: message.conversationId,
            chatType: "group",
            text: PRIVATE_UNREACHABLE,
            mentionSenderId: message.senderId,
          });
        }
      }
    }
    logger.info({
      event: "replied",
      platform: port.platform,
      chat: message.chatType,
      kind: reply.kind,
      citations: reply.citations.length,
      ms: Math.round(performance.now() - started),
    });
  }

  return {
    /** Handles one incoming message; errors are logged, never thrown at the platform loop. */
    handle(message: IncomingMessage): Promise<void> {
      if (stopping) return Promise.resolve();
      const job = process(message)
        .catch(async (e: unknown) => {
          logger.error({
            event: "handle_failed",
            platform: port.platform,
            error: e instanceof Error ? e.message : String(e),
          });
          // The resident is told calmly; a draft being collected was not changed by this message.
          await sendAll({
            conversationId: message.conversationId,
            chatType: message.chatType,
            text: SOMETHING_WENT_WRONG,
          }).catch(() => undefined);
        })
        .finally(() => inFlight.delete(job));
      inFlight.add(job);
      return job;
    },

    /** Sends pending status updates for this platform's residents, each once. */
    async deliverNotifications(): Promise<number> {
      let sent = 0;
      for (const n of await store.pendingNotifications(port.platform)) {
        if (port.canNotify && !port.canNotify(n.conversationId)) continue;
        await sendAll({ conversationId: n.conversationId, chatType: "private", text: n.text });
        await store.markNotified(n.id);
        sent++;
      }
      return sent;
    },

    /** Stops taking messages and waits for replies already being written. */
    async shutdown(): Promise<void> {
      stopping = true;
      await Promise.allSettled([...inFlight]);
    },
  };
}

export type ChannelRuntime = ReturnType<typeof createChannelRuntime>;
