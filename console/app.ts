import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getCookie } from "hono/cookie";
import { StoreBusyError } from "../adapters/cases/case-store.ts";
import { ConsoleAuth, safeEqual } from "./auth.ts";
import { type ConsoleConfig, DEFAULT_CONFIG } from "./config.ts";
import { consoleDb } from "./db.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { caseRoutes } from "./routes/cases.ts";
import {
  type ConsoleDeps,
  type ConsoleOptions,
  type Ctx,
  clientAddress,
  type Env,
  field,
  SESSION_COOKIE,
} from "./routes/context.ts";
import { loginRoutes } from "./routes/login.ts";
import { summaryRoutes } from "./routes/summary.ts";
import { ConsoleStore } from "./store.ts";
import { errorPage } from "./views/admin.ts";
import { CONSOLE_CSS } from "./views/style.ts";

/**
 * The staff console: server-rendered pages over the casebook. Every page
 * needs a login; every form carries the session's CSRF token; reviewers see
 * and change only the cases of their districts. The pages live in route
 * modules (console/routes/), mounted here behind the session check.
 */
export function createConsoleApp(options: ConsoleOptions): Hono<Env> {
  const { knowledge } = options;
  const db = consoleDb(options.store);
  const now = options.now ?? (() => new Date());
  const config: ConsoleConfig = {
    ...DEFAULT_CONFIG,
    ...options.config,
    overdueDays: { ...DEFAULT_CONFIG.overdueDays, ...options.config?.overdueDays },
  };
  const auth = new ConsoleAuth(db, config, now);

  function clientIp(c: Ctx): string {
    let peer: string;
    try {
      peer = getConnInfo(c).remote.address ?? "unknown";
    } catch {
      // app.request() in tests has no socket.
      peer = "local";
    }
    return clientAddress(peer, c.req.header("x-forwarded-for"), config.trustedProxies);
  }
  const store = new ConsoleStore(db, config, now);
  const app = new Hono<Env>();

  app.use(async (c, next) => {
    await next();
    c.header(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    c.header("X-Content-Type-Options", "nosniff");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "same-origin");
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
  });
  app.use(bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text("请求内容过大", 413) }));

  app.get("/static/console.css", (c) =>
    c.body(CONSOLE_CSS, 200, {
      "Content-Type": "text/css; charset=utf-8",
      "Cache-Control": "public, max-age=3600",
    }),
  );

  const cookieOptions = {
    httpOnly: true,
    sameSite: "Strict",
    secure: config.secureCookies,
    path: "/",
  } as const;

  // Browsers ask for it on every page; answering here keeps it from bouncing through the login page.
  app.get("/favicon.ico", (c) => c.body(null, 204, { "Cache-Control": "public, max-age=86400" }));

  const deps: ConsoleDeps = {
    cases: db.cases,
    knowledge,
    options,
    now,
    config,
    auth,
    store,
    ctxOf,
    done,
    forbidden,
    requireAdmin,
    clientIp,
    cookieOptions,
  };

  app.route("/", loginRoutes(deps));

  // --- everything below needs a session -------------------------------------------

  app.use(async (c, next) => {
    const session = await auth.session(getCookie(c, SESSION_COOKIE));
    if (!session) {
      if (c.req.method === "GET" || c.req.method === "HEAD") {
        const url = new URL(c.req.url);
        return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
      }
      return c.html(errorPage({}, "请先登录", "登录已失效，请重新登录后再操作。"), 401);
    }
    c.set("session", session);
    if (c.req.method === "POST") {
      const body = await c.req.parseBody({ all: true });
      if (!safeEqual(field(body, "_csrf"), session.csrf)) {
        return c.html(
          errorPage(
            await ctxOf(c),
            "请求无效",
            "表单缺少有效的校验码（可能已过期），请返回刷新页面后重试。",
          ),
          403,
        );
      }
    }
    await next();
  });

  async function ctxOf(c: Ctx, active?: string) {
    const session = c.get("session");
    return {
      user: session.user,
      csrf: session.csrf,
      flash: c.req.method === "GET" ? await auth.takeFlash(session.idHash) : undefined,
      ...(active ? { active } : {}),
    };
  }

  async function done(
    c: Ctx,
    to: string,
    text: string,
    kind: "ok" | "error" = "ok",
  ): Promise<Response> {
    await auth.setFlash(c.get("session").idHash, { kind, text });
    return c.redirect(to, 303);
  }

  async function forbidden(c: Ctx, message: string): Promise<Response> {
    return c.html(errorPage(await ctxOf(c), "无权访问", message), 403);
  }

  async function requireAdmin(c: Ctx): Promise<Response | undefined> {
    return c.get("session").user.role === "admin"
      ? undefined
      : forbidden(c, "只有管理员可以使用此功能。");
  }

  app.route("/", caseRoutes(deps));
  app.route("/", summaryRoutes(deps));
  app.route("/", accountRoutes(deps));

  app.notFound((c) => c.html(errorPage({}, "页面不存在", "没有这个页面。"), 404));
  app.onError((err, c) => {
    if (
      err instanceof StoreBusyError ||
      /^SQLITE_(BUSY|LOCKED)/.test(String((err as { code?: unknown }).code ?? ""))
    ) {
      // Another process holds the casebook's write lock: say so at once rather than hang.
      c.header("Retry-After", "1");
      return c.html(errorPage({}, "系统繁忙", "数据库正忙，请稍后重试。"), 503);
    }
    console.error(err);
    return c.html(errorPage({}, "出错了", "服务器处理请求时出错，请稍后重试。"), 500);
  });

  return app;
}

export type { ConsoleOptions } from "./routes/context.ts";
export type { Scope } from "./store.ts";
