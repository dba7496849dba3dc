import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { newToken, safeEqual } from "../auth.ts";
import { localDateTime } from "../time.ts";
import { errorPage } from "../views/admin.ts";
import { loginPage } from "../views/login.ts";

import {
  type ConsoleDeps,
  type Env,
  field,
  LOGIN_COOKIE,
  SESSION_COOKIE,
  safeNext,
} from "./context.ts";

/** The login page and form (the only pages without a session). */
export function loginRoutes(deps: ConsoleDeps): Hono<Env> {
  const { now, config, auth, store, clientIp, cookieOptions } = deps;
  const app = new Hono<Env>();

  // --- login ------------------------------------------------------------------

  app.get("/login", async (c) => {
    if (await auth.session(getCookie(c, SESSION_COOKIE))) return c.redirect("/cases", 303);
    // Keep a token already handed out: a second login page (another tab, a favicon request
    // redirected here) must not invalidate the form the user is filling in.
    const existing = getCookie(c, LOGIN_COOKIE);
    const token = existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : newToken();
    setCookie(c, LOGIN_COOKIE, token, { ...cookieOptions, maxAge: 3600 });
    return c.html(
      loginPage({
        csrf: token,
        next: safeNext(c.req.query("next")),
        ...(c.req.query("changed") ? { notice: "密码已修改，请用新密码登录。" } : {}),
      }),
    );
  });

  app.post("/login", async (c) => {
    const body = await c.req.parseBody();
    const cookieToken = getCookie(c, LOGIN_COOKIE);
    // Login CSRF: the form's token must match the cookie set with the form.
    if (!cookieToken || !safeEqual(field(body, "_csrf"), cookieToken)) {
      return c.html(errorPage({}, "请求无效", "表单已过期或来源不明，请刷新登录页后重试。"), 403);
    }
    const username = field(body, "username").trim().slice(0, 64);
    const password = field(body, "password");
    const next = safeNext(field(body, "next"));
    const result = await auth.login(username, password, clientIp(c));
    if (result.ok) {
      deleteCookie(c, LOGIN_COOKIE, { path: "/" });
      setCookie(c, SESSION_COOKIE, result.token, {
        ...cookieOptions,
        maxAge: config.sessionHours * 3600,
      });
      await store.audit({ user: result.user, action: "login", detail: { ip: clientIp(c) } });
      return c.redirect(next, 303);
    }
    await store.audit({
      actor: username || "（空）",
      action: "login_failed",
      detail: { reason: result.reason, ip: clientIp(c) },
    });
    let error = "用户名或密码不正确。";
    let status: 401 | 403 | 429 = 401;
    if (result.reason === "locked") {
      const minutes = Math.max(1, Math.ceil((result.until.getTime() - now().getTime()) / 60_000));
      error = `密码错误次数过多，该账号已暂时锁定。请在 ${localDateTime(result.until.toISOString()).slice(11)} 之后（约 ${minutes} 分钟后）再试；如需立即登录，请联系管理员重置密码。`;
      status = 429;
    }
    return c.html(loginPage({ csrf: cookieToken, next, username, error }), status);
  });

  return app;
}
