import { createHash, timingSafeEqual } from "node:crypto";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { z } from "zod";
import type { Engine } from "../../bot/engine.ts";
import type { EngineLogger } from "../../bot/logger.ts";
import { IncomingMessageSchema } from "../../bot/message.ts";
import { type CaseStore, StoreBusyError } from "../cases/case-store.ts";
import type { RateLimits } from "./config.ts";
import { createMessageGate } from "./message-gate.ts";

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export interface ApiAppOptions {
  engine: Engine;
  /** Remembers message ids with their replies, so a client retrying a request never files twice. */
  store: CaseStore;
  apiKeys: readonly string[];
  logger: EngineLogger;
  /** Per sender and per group, as in the chat channels; unlimited when absent. */
  rateLimits?: RateLimits;
  maxBodyBytes?: number;
}

// --- small serving helpers shared with the Telegram webhook ----------------

export { KeyedQueue } from "./keyed-queue.ts";

/**
 * Compares a presented secret with an expected one in time independent of
 * where they differ (both are hashed first, so the length leaks nothing either).
 */
export function safeEqual(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export interface RunningServer {
  host: string;
  port: number;
  url: string;
  /** Stops accepting connections and waits for requests in flight (forcing after `graceMs`). */
  close(graceMs?: number): Promise<void>;
}

/** Serves a Hono app on host:port (port 0 picks a free one). */
export function listen(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  options: { host: string; port: number },
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, hostname: options.host, port: options.port },
      (info) => {
        server.off("error", reject);
        const host = options.host.includes(":") ? `[${options.host}]` : options.host;
        resolve({
          host: options.host,
          port: info.port,
          url: `http://${host}:${info.port}`,
          close: (graceMs = 10_000) =>
            new Promise<void>((done) => {
              const http = server as Server;
              const force = setTimeout(() => http.closeAllConnections(), graceMs);
              force.unref();
              http.close(() => {
                clearTimeout(force);
                done();
              });
              http.closeIdleConnections();
            }),
        });
      },
    );
    server.once("error", reject);
  });
}

// --- the API ---------------------------------------------------------------

const READY_TIMEOUT_MS = 1000;
const BUSY = "系统繁忙，请稍后重试";

const ACTION_WORDS = { confirm: "确认", cancel: "取消" } as const;

const UNAUTHORIZED =
  "未授权：请在请求头 Authorization: Bearer <密钥> 或 X-API-Key: <密钥> 中提供有效的接口密钥";

function presentedKey(authorization: string | undefined, apiKey: string | undefined) {
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  return bearer ?? apiKey?.trim();
}

const TYPE_NAMES: Record<string, string> = {
  string: "字符串",
  object: "对象",
  number: "数字",
  boolean: "布尔值",
  array: "数组",
};

/** One Chinese sentence per problem, naming the field (zod's own messages are English). */
function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.join(".") : "请求体";
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? `缺少字段 ${field}`
        : `${field} 应为${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case "invalid_value":
      return `${field} 应为 ${issue.values.map(String).join(" 或 ")} 之一`;
    case "too_big":
      return `${field} 太长（最多 ${issue.maximum} 个字符）`;
    case "too_small":
      return `${field} 不能为空`;
    default:
      return `${field} 的值不正确`;
  }
}

/**
 * The HTTP API: `POST /api/messages` takes the engine's IncomingMessage and
 * returns its Reply; `GET /healthz` for load balancers. Every /api route
 * needs a key from API_KEYS.
 */
export function createApiApp(options: ApiAppOptions) {
  const { engine, store, logger } = options;
  const keys = [...options.apiKeys];
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const gate = createMessageGate({
    engine,
    store,
    logger,
    ...(options.rateLimits
      ? {
          perUserPerMinute: options.rateLimits.perUserPerMinute,
          perGroupPerMinute: options.rateLimits.perGroupPerMinute,
        }
      : {}),
  });
  const app = new Hono();

  // Liveness: answers from the process alone, whatever the database is doing.
  app.get("/healthz", (c) => c.json({ ok: true }));

  // Readiness: whether the store answers now (load balancers stop sending when it does not).
  app.get("/readyz", async (c) => {
    try {
      await store.ping(READY_TIMEOUT_MS);
      return c.json({ ok: true, store: store.kind });
    } catch (e) {
      logger.warn({ event: "store_unready", error: e instanceof Error ? e.message : String(e) });
      c.header("Retry-After", "5");
      return c.json({ ok: false, store: store.kind, error: "数据库暂时无法访问" }, 503);
    }
  });

  app.use("/api/*", async (c, next) => {
    const presented = presentedKey(c.req.header("authorization"), c.req.header("x-api-key"));
    // Every key is compared, so the time taken does not tell which one nearly matched.
    let ok = false;
    for (const key of keys) ok = safeEqual(presented ?? "", key) || ok;
    if (!presented || !ok) {
      logger.warn({ event: "api_unauthorized", path: c.req.path });
      c.header("WWW-Authenticate", 'Bearer realm="wuye-assistant"');
      return c.json({ error: UNAUTHORIZED }, 401);
    }
    await next();
  });

  app.post(
    "/api/messages",
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) =>
        c.json({ error: `请求体太大：上限为 ${Math.floor(maxBodyBytes / 1024)} KB` }, 413),
    }),
    async (c) => {
      const started = performance.now();
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        return c.json({ error: "请求体不是有效的 JSON" }, 400);
      }
      const parsed = IncomingMessageSchema.safeParse(body);
      if (!parsed.success) {
        const problems = parsed.error.issues.map(describeIssue);
        return c.json({ error: `请求格式不正确：${problems.join("；")}`, problems }, 400);
      }
      const msg = parsed.data;
      // A tapped button may come without words; the engine reads it like the typed reply.
      if (msg.action && msg.text.trim() === "") msg.text = ACTION_WORDS[msg.action];

      try {
        const outcome = await gate.handle(msg);
        if (outcome.kind === "limited") {
          logger.info({ event: "rate_limited", platform: msg.platform, chat: msg.chatType });
          c.header("Retry-After", "60");
          return c.json({ error: "消息太频繁，请一分钟后再试" }, 429);
        }
        const reply = outcome.reply;
        if (outcome.duplicate) {
          // A retried request: the answer it got the first time, case number included.
          logger.info({ event: "duplicate_replayed", platform: msg.platform, channel: "api" });
          c.header("X-Wuye-Duplicate", "1");
          return c.json(reply);
        }
        logger.info({
          event: "replied",
          platform: msg.platform,
          channel: "api",
          chat: msg.chatType,
          kind: reply.kind,
          citations: reply.citations.length,
          ms: Math.round(performance.now() - started),
        });
        return c.json(reply);
      } catch (e) {
        if (e instanceof StoreBusyError) {
          logger.warn({ event: "store_busy", channel: "api" });
          c.header("Retry-After", "1");
          return c.json({ error: BUSY }, 503);
        }
        logger.error({
          event: "handle_failed",
          channel: "api",
          error: e instanceof Error ? e.message : String(e),
        });
        return c.json({ error: "内部错误，请稍后再试" }, 500);
      }
    },
  );

  app.notFound((c) => c.json({ error: "没有这个接口" }, 404));
  app.onError((e, c) => {
    if (e instanceof StoreBusyError) {
      c.header("Retry-After", "1");
      return c.json({ error: BUSY }, 503);
    }
    logger.error({ event: "api_error", error: e.message });
    return c.json({ error: "内部错误，请稍后再试" }, 500);
  });
  return app;
}

/** Builds the API and serves it; resolves once it is listening. */
export function startApi(
  options: ApiAppOptions & { host: string; port: number },
): Promise<RunningServer> {
  return listen(createApiApp(options), { host: options.host, port: options.port });
}
