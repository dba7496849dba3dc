import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Engine } from "../../../bot/engine.ts";
import type { EngineLogger } from "../../../bot/logger.ts";
import type { Attachment, IncomingMessage } from "../../../bot/message.ts";
import type { CaseStore } from "../../cases/case-store.ts";
import { type ChannelPort, type ChannelRuntime, createChannelRuntime } from "../channel-runtime.ts";
import type { RateLimits } from "../config.ts";
import { KeyedQueue, listen, type RunningServer } from "../http-api.ts";
import { WELCOME_TEXT } from "../welcome.ts";
import { type MpApiClient, MpApiError } from "./api-client.ts";
import { aesKeyFrom, DecryptError, decrypt, encrypt, sign, signatureMatches } from "./crypto.ts";
import {
  encryptedReplyXml,
  MalformedXmlError,
  type MpMessage,
  parseEnvelope,
  parseMessage,
  textReplyXml,
} from "./xml.ts";

export const MP_PLATFORM = "wechat-mp";
export const MP_PATH = "/wechat/mp";
/**
 * WeChat takes at most 2048 bytes of text in a customer-service or passive
 * message; 600 characters stay under it even when every one is Chinese (3 bytes).
 */
export const MP_MAX_CHARS = 600;
/** WeChat gives up on an answer after 5 seconds; leave room for the network. */
export const DEFAULT_PASSIVE_MS = 4_000;
/** Requests signed longer ago than this are replays. */
export const MAX_CLOCK_SKEW_S = 300;
/** Customer-service messages are allowed this long after the resident's last message. */
export const SERVICE_WINDOW_MS = 48 * 3600_000;
/** WeChat retries within about 15 seconds; remember a message a good while longer. */
const REMEMBER_MS = 120_000;
const MAX_BODY_BYTES = 64 * 1024;

export interface MpChannelOptions {
  engine: Engine;
  store: CaseStore;
  logger: EngineLogger;
  token: string;
  appId: string;
  /** The EncodingAESKey; without it, safe-mode requests are refused. */
  aesKey?: string;
  api: MpApiClient;
  /** A template message for status updates once the 48-hour window has closed. */
  template?: { id: string; field: string };
  rateLimits?: RateLimits;
  /** How long to wait for a reply before answering `success` and sending it later (ms). */
  passiveMs?: number;
  /** How often status updates are sent; 0 turns the timer off (tests call deliverNotifications). */
  notifyIntervalMs?: number;
  now?: () => number;
}

/** One resident message being answered, shared by WeChat's retries of it. */
interface Pending {
  openId: string;
  /** Replies held back for a passive answer while `collecting`; afterwards they go out at once. */
  parts: string[];
  collecting: boolean;
  /** Requests (the first and its retries) still waiting for a passive answer. */
  waiters: number;
  finished: Promise<void>;
  isFinished: boolean;
  /** Customer-service sends for this message, one after another. */
  chain: Promise<void>;
  /** The request that carried the passive answer, to notice an answer lost on the way. */
  passive?: { signal: AbortSignal; parts: string[]; resent: boolean };
}

export interface MpChannel {
  /** The Hono app serving GET|POST /wechat/mp. */
  readonly app: Hono;
  readonly runtime: ChannelRuntime;
  readonly port: ChannelPort;
  deliverNotifications(): Promise<number>;
  /** Resolves once every message taken so far is answered and every push has gone out. */
  idle(): Promise<void>;
  /** Stops the status timer and waits for replies and sends in flight. */
  stop(): Promise<void>;
}

const ATTACHMENT_KINDS: Record<string, Attachment["kind"]> = {
  image: "image",
  voice: "voice",
  video: "video",
  shortvideo: "video",
  location: "other",
  link: "link",
  file: "file",
};

/**
 * The Official Account (公众号) message callback on the shared channel
 * runtime: checks WeChat's signature (and, in safe mode, decrypts and checks
 * the AppID), answers passively when the reply is ready within WeChat's
 * 5 seconds and otherwise answers `success` and sends the reply through the
 * customer-service API, so neither a slow reply nor a retried request costs
 * the resident an answer or gives them one twice.
 */
export function createMpChannel(options: MpChannelOptions): MpChannel {
  const { logger, api } = options;
  const now = options.now ?? Date.now;
  const passiveMs = options.passiveMs ?? DEFAULT_PASSIVE_MS;
  const key = options.aesKey ? aesKeyFrom(options.aesKey) : undefined;
  const current = new AsyncLocalStorage<Pending>();
  const pending = new Map<string, Pending>();
  const welcomed = new Map<string, number>();
  /** When each resident last wrote; absent after a restart, when WeChat itself will tell. */
  const lastHeard = new Map<string, number>();
  const conversations = new KeyedQueue();
  const sends = new Set<Promise<void>>();

  function windowOpen(openId: string): boolean | undefined {
    const at = lastHeard.get(openId);
    if (at === undefined) return undefined;
    return now() - at < SERVICE_WINDOW_MS;
  }

  /** A message outside any resident's turn: a status update. */
  async function notify(openId: string, text: string): Promise<void> {
    if (windowOpen(openId) !== false) {
      try {
        await api.sendText(openId, text);
        return;
      } catch (e) {
        if (!(e instanceof MpApiError && e.windowClosed)) throw e;
        lastHeard.set(openId, 0);
      }
    }
    if (!options.template) throw new Error("the 48-hour window is closed and no template is set");
    await api.sendTemplate(openId, options.template.id, options.template.field, text);
    logger.info({ event: "mp_template_sent", platform: MP_PLATFORM });
  }

  function push(entry: Pending, texts: string[]): Promise<void> {
    const next = entry.chain.then(async () => {
      for (const text of texts) await api.sendText(entry.openId, text);
    });
    entry.chain = next.catch((e: unknown) => {
      logger.error({
        event: "mp_send_failed",
        platform: MP_PLATFORM,
        error: e instanceof Error ? e.message : String(e),
      });
    });
    return next;
  }

  /** From now on this message's replies go out through the customer-service API. */
  function release(entry: Pending): void {
    if (!entry.collecting) return;
    entry.collecting = false;
    const held = entry.parts.splice(0);
    if (held.length > 0) {
      logger.info({ event: "mp_reply_pushed", platform: MP_PLATFORM, parts: held.length });
      track(push(entry, held));
    }
  }

  function track(job: Promise<void>): void {
    const settled = job.catch(() => undefined);
    sends.add(settled);
    void settled.finally(() => sends.delete(settled));
  }

  const port: ChannelPort = {
    platform: MP_PLATFORM,
    maxMessageChars: MP_MAX_CHARS,
    privateConversationOf: (senderId) => senderId,
    canNotify: (openId) => windowOpen(openId) !== false || options.template !== undefined,
    async send(out) {
      const entry = current.getStore();
      if (!entry || entry.openId !== out.conversationId)
        return notify(out.conversationId, out.text);
      if (entry.collecting) {
        entry.parts.push(out.text);
        return;
      }
      await push(entry, [out.text]);
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

  let delivering: Promise<number> | undefined;
  function deliverNotifications(): Promise<number> {
    // One pass at a time, so a slow send never posts the same update twice.
    delivering ??= runtime.deliverNotifications().finally(() => {
      delivering = undefined;
    });
    return delivering;
  }
  function deliverQuietly(): void {
    deliverNotifications().catch((e: unknown) => {
      logger.warn({
        event: "notify_failed",
        platform: MP_PLATFORM,
        error: e instanceof Error ? e.message : String(e),
      });
    });
  }

  function toIncoming(m: MpMessage): IncomingMessage | undefined {
    const base = {
      platform: MP_PLATFORM,
      conversationId: m.FromUserName,
      chatType: "private" as const,
      senderId: m.FromUserName,
      messageId: m.MsgId ?? `${m.FromUserName}:${m.CreateTime}`,
    };
    if (m.MsgType === "text") return { ...base, text: (m.Content ?? "").trim() };
    // With speech recognition switched on, WeChat sends the words with the voice message.
    if (m.MsgType === "voice" && m.Recognition?.trim())
      return { ...base, text: m.Recognition.trim() };
    const kind = ATTACHMENT_KINDS[m.MsgType];
    if (!kind) return undefined;
    const ref =
      m.MsgType === "link" && m.Url
        ? m.Url.slice(0, 2000)
        : m.MediaId
          ? `wechat-mp:media:${m.MediaId}`
          : `wechat-mp:${base.messageId}`;
    return { ...base, text: "", attachment: { kind, ref } };
  }

  function start(dedupKey: string, message: IncomingMessage): Pending {
    const entry: Pending = {
      openId: message.conversationId,
      parts: [],
      collecting: true,
      waiters: 0,
      finished: Promise.resolve(),
      isFinished: false,
      chain: Promise.resolve(),
    };
    entry.finished = conversations
      .run(message.conversationId, () => current.run(entry, () => runtime.handle(message)))
      .catch(() => undefined)
      .finally(() => {
        entry.isFinished = true;
        // Nobody is waiting any more: whatever was held goes out now.
        if (entry.waiters === 0) release(entry);
        const forget = setTimeout(() => pending.delete(dedupKey), REMEMBER_MS);
        forget.unref();
        // The resident just wrote, so updates held back for the 48-hour window can go now.
        deliverQuietly();
      });
    pending.set(dedupKey, entry);
    return entry;
  }

  /** Waits for the reply until this request's deadline or until WeChat hangs up. */
  async function awaitReply(entry: Pending, signal: AbortSignal, arrived: number) {
    entry.waiters++;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const outcome = await new Promise<"ready" | "late">((resolve) => {
      timer = setTimeout(() => resolve("late"), Math.max(0, arrived + passiveMs - now()));
      onAbort = () => resolve("late");
      signal.addEventListener("abort", onAbort, { once: true });
      void entry.finished.then(() => resolve("ready"));
    });
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener("abort", onAbort);
    entry.waiters--;
    if (outcome === "ready" && entry.collecting && !signal.aborted) {
      entry.collecting = false;
      const parts = entry.parts.splice(0);
      if (parts.length === 1) {
        entry.passive = { signal, parts, resent: false };
        return parts[0];
      }
      // Several messages: one passive answer cannot carry them, so all go out in order.
      if (parts.length > 1) track(push(entry, parts));
      return undefined;
    }
    if (entry.waiters === 0 && (entry.isFinished || outcome === "late")) release(entry);
    return undefined;
  }

  const app = new Hono();

  function refuse(c: Context, reason: string, status: 400 | 403) {
    logger.warn({ event: "mp_refused", platform: MP_PLATFORM, reason });
    return c.text(status === 403 ? "forbidden" : "bad request", status);
  }

  function fresh(timestamp: string | undefined): boolean {
    if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
    return Math.abs(now() / 1000 - Number(timestamp)) <= MAX_CLOCK_SKEW_S;
  }

  app.get(MP_PATH, (c) => {
    const { signature, timestamp, nonce, echostr } = c.req.query();
    if (!echostr || !nonce || !fresh(timestamp)) return refuse(c, "verify_bad_request", 403);
    if (!signatureMatches(signature, options.token, timestamp as string, nonce))
      return refuse(c, "verify_bad_signature", 403);
    logger.info({ event: "mp_url_verified", platform: MP_PLATFORM });
    return c.text(echostr);
  });

  app.post(
    MP_PATH,
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => refuse(c, "body_too_large", 400) }),
    async (c) => {
      const arrived = now();
      const signal = c.req.raw.signal;
      const q = c.req.query();
      const timestamp = q.timestamp ?? "";
      const nonce = q.nonce ?? "";
      if (!fresh(timestamp)) return refuse(c, "stale_timestamp", 403);
      if (!nonce || !signatureMatches(q.signature, options.token, timestamp, nonce))
        return refuse(c, "bad_signature", 403);
      const safe = q.encrypt_type === "aes";
      if (q.encrypt_type && !safe && q.encrypt_type !== "raw")
        return refuse(c, "unknown_encrypt_type", 400);
      const body = await c.req.text();
      let message: MpMessage;
      try {
        if (safe) {
          if (!key) return refuse(c, "safe_mode_without_key", 400);
          const encrypted = parseEnvelope(body);
          if (!signatureMatches(q.msg_signature, options.token, timestamp, nonce, encrypted))
            return refuse(c, "bad_msg_signature", 403);
          message = parseMessage(decrypt(key, options.appId, encrypted));
        } else {
          message = parseMessage(body);
        }
      } catch (e) {
        if (e instanceof DecryptError) return refuse(c, `decrypt_${e.message}`, 403);
        if (e instanceof MalformedXmlError) return refuse(c, "malformed_xml", 400);
        throw e;
      }

      const answer = (text: string | undefined) => {
        if (text === undefined) return c.text("success");
        const xml = textReplyXml(
          message.FromUserName,
          message.ToUserName,
          text,
          Math.floor(now() / 1000),
        );
        if (!key || !safe) return c.body(xml, 200, { "content-type": "application/xml" });
        const encrypted = encrypt(key, options.appId, xml);
        const ts = String(Math.floor(now() / 1000));
        const replyNonce = randomBytes(8).toString("hex");
        return c.body(
          encryptedReplyXml(
            encrypted,
            sign(options.token, ts, replyNonce, encrypted),
            ts,
            replyNonce,
          ),
          200,
          { "content-type": "application/xml" },
        );
      };

      const openId = message.FromUserName;
      if (message.MsgType === "event") {
        if (message.Event !== "subscribe") return answer(undefined);
        lastHeard.set(openId, arrived);
        // Events carry no MsgId: WeChat's retries are told apart by sender and time.
        const eventKey = `${openId}:${message.CreateTime}`;
        if (welcomed.has(eventKey)) return answer(undefined);
        welcomed.set(eventKey, arrived);
        for (const [k, at] of welcomed) if (arrived - at > REMEMBER_MS) welcomed.delete(k);
        logger.info({ event: "mp_subscribed", platform: MP_PLATFORM });
        deliverQuietly();
        return answer(WELCOME_TEXT);
      }

      const incoming = toIncoming(message);
      if (!incoming) return answer(undefined);
      lastHeard.set(openId, arrived);
      const dedupKey = message.MsgId
        ? `msg:${message.MsgId}`
        : `at:${openId}:${message.CreateTime}`;
      const known = pending.get(dedupKey);
      if (known?.isFinished && known.passive) {
        // A retry after the passive answer was sent: WeChat retries only when it never got it.
        if (known.passive.signal.aborted && !known.passive.resent) {
          known.passive.resent = true;
          logger.info({ event: "mp_passive_lost", platform: MP_PLATFORM });
          track(push(known, known.passive.parts));
        }
        return answer(undefined);
      }
      if (known) logger.info({ event: "mp_retry", platform: MP_PLATFORM });
      const entry = known ?? start(dedupKey, incoming);
      const text = await awaitReply(entry, signal, arrived);
      if (text !== undefined) logger.info({ event: "mp_reply_passive", platform: MP_PLATFORM });
      return answer(text);
    },
  );

  app.notFound((c) => c.text("not found", 404));
  app.onError((e, c) => {
    logger.error({ event: "mp_error", platform: MP_PLATFORM, error: e.message });
    return c.text("success");
  });

  const interval = options.notifyIntervalMs ?? 60_000;
  const timer = interval > 0 ? setInterval(deliverQuietly, interval) : undefined;
  timer?.unref();

  async function idle(): Promise<void> {
    await conversations.idle();
    await Promise.allSettled([...pending.values()].map((p) => p.finished));
    await delivering?.catch(() => undefined);
    while (sends.size > 0) await Promise.allSettled([...sends]);
    await Promise.allSettled([...pending.values()].map((p) => p.chain));
  }

  return {
    app,
    runtime,
    port,
    deliverNotifications,
    idle,
    async stop() {
      if (timer) clearInterval(timer);
      await runtime.shutdown();
      await idle();
    },
  };
}

/** Builds the channel and serves it on host:port (port 0 picks a free one). */
export async function startMp(
  options: MpChannelOptions & { host: string; port: number },
): Promise<{ channel: MpChannel; server: RunningServer }> {
  const channel = createMpChannel(options);
  const server = await listen(channel.app, { host: options.host, port: options.port });
  return { channel, server };
}
