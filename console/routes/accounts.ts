import { Hono } from "hono";
import { deleteCookie } from "hono/cookie";
import { parseDistricts, type Role, validatePassword } from "../auth.ts";
import { localDateTime } from "../time.ts";
import { accountPage, auditPage, usersPage } from "../views/admin.ts";

import { type ConsoleDeps, type Env, field, fields, oneOf, SESSION_COOKIE } from "./context.ts";

/** Accounts (administrators), one's own password, and the audit trail. */
export function accountRoutes(deps: ConsoleDeps): Hono<Env> {
  const { auth, store, ctxOf, done, requireAdmin, clientIp } = deps;
  const app = new Hono<Env>();

  // --- accounts -------------------------------------------------------------------

  app.get("/users", async (c) => {
    const denied = await requireAdmin(c);
    if (denied) return denied;
    return c.html(usersPage(await ctxOf(c), await auth.listUsers()));
  });

  app.post("/users", async (c) => {
    const denied = await requireAdmin(c);
    if (denied) return denied;
    const body = await c.req.parseBody({ all: true });
    const role = oneOf<Role>(["admin", "reviewer"], field(body, "role"));
    try {
      if (!role) throw new Error("角色无效");
      const created = await auth.createUser({
        username: field(body, "username").trim(),
        displayName: field(body, "display_name").trim().slice(0, 40) || null,
        password: field(body, "password"),
        role,
        districts: parseDistricts(fields(body, "districts").join(",")),
      });
      await store.audit({
        user: c.get("session").user,
        action: "user_created",
        detail: { username: created.username, role, districts: created.districts },
      });
      return done(c, "/users", `已新建账号 ${created.username}。`);
    } catch (e) {
      return done(
        c,
        "/users",
        `未能新建账号：${e instanceof Error ? e.message : String(e)}`,
        "error",
      );
    }
  });

  app.post("/users/:id/:op{disable|enable}", async (c) => {
    const denied = await requireAdmin(c);
    if (denied) return denied;
    const target = await auth.getUser(Number(c.req.param("id")));
    const me = c.get("session").user;
    if (!target) return done(c, "/users", "没有这个账号。", "error");
    if (target.id === me.id) return done(c, "/users", "不能停用自己的账号。", "error");
    const disable = c.req.param("op") === "disable";
    await auth.setDisabled(target.id, disable);
    await store.audit({
      user: me,
      action: disable ? "user_disabled" : "user_enabled",
      detail: { username: target.username },
    });
    return done(c, "/users", `${disable ? "已停用" : "已启用"}账号 ${target.username}。`);
  });

  app.post("/users/:id/password", async (c) => {
    const denied = await requireAdmin(c);
    if (denied) return denied;
    const target = await auth.getUser(Number(c.req.param("id")));
    if (!target) return done(c, "/users", "没有这个账号。", "error");
    const body = await c.req.parseBody();
    try {
      await auth.setPassword(target.id, field(body, "password"));
    } catch (e) {
      return done(
        c,
        "/users",
        `未能重置密码：${e instanceof Error ? e.message : String(e)}`,
        "error",
      );
    }
    await store.audit({
      user: c.get("session").user,
      action: "password_changed",
      detail: { username: target.username },
    });
    return done(c, "/users", `已重置 ${target.username} 的密码，该账号需用新密码重新登录。`);
  });

  app.get("/account", async (c) => c.html(accountPage(await ctxOf(c))));

  app.post("/account/password", async (c) => {
    const user = c.get("session").user;
    const body = await c.req.parseBody();
    const password = field(body, "password");
    const checked = await auth.checkPassword(user.id, field(body, "current"));
    if (!checked.ok) {
      await store.audit({ user, action: "password_check_failed", detail: { ip: clientIp(c) } });
      return done(
        c,
        "/account",
        checked.locked
          ? `当前密码错误次数过多，修改密码已暂时锁定，请在 ${localDateTime(checked.locked.toISOString()).slice(11)} 之后再试。`
          : "当前密码不正确。",
        "error",
      );
    }
    if (password !== field(body, "repeat"))
      return done(c, "/account", "两次输入的新密码不一致。", "error");
    const problem = validatePassword(password);
    if (problem) return done(c, "/account", problem, "error");
    await auth.setPassword(user.id, password);
    await store.audit({ user, action: "password_changed", detail: { username: user.username } });
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/login?changed=1", 303);
  });

  app.get("/audit", async (c) => {
    const denied = await requireAdmin(c);
    if (denied) return denied;
    const pageNo = Math.max(1, Number.parseInt(c.req.query("page") ?? "1", 10) || 1);
    const size = 50;
    const entries = await store.recentAudit(size + 1, (pageNo - 1) * size);
    return c.html(auditPage(await ctxOf(c), entries.slice(0, size), pageNo, entries.length > size));
  });

  return app;
}
