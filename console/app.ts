import { getConnInfo } from "@hono/node-server/conninfo";
import { stringify } from "csv-stringify/sync";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Casebook } from "../adapters/cases/casebook.ts";
import {
  CASE_STATUSES,
  CATEGORIES,
  CATEGORY_PLAN_KEY,
  type CaseStatus,
  type Category,
  DISTRICTS,
  type District,
  URGENCIES,
} from "../bot/complaint.ts";
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { unitText } from "../knowledge/unit.ts";
import {
  ConsoleAuth,
  type ConsoleUser,
  newToken,
  parseDistricts,
  type Role,
  type Session,
  safeEqual,
  validatePassword,
} from "./auth.ts";
import { type ConsoleConfig, DEFAULT_CONFIG } from "./config.ts";
import { html } from "./html.ts";
import { CATEGORY_SHORT, STATUS_SHORT, URGENCY_SHORT } from "./labels.ts";
import {
  type CaseFilter,
  type CaseRow,
  ConsoleStore,
  FINAL_STATUSES,
  inScope,
  type Scope,
  scopeOf,
} from "./store.ts";
import { computeSummary, monthPeriod, NOT_GIVEN, type Summary, weekPeriod } from "./summary.ts";
import {
  addDays,
  isDay,
  isMonth,
  localDateTime,
  localDay,
  nextMonth,
  previousMonth,
  weekStart,
} from "./time.ts";
import { accountPage, auditPage, errorPage, usersPage } from "./views/admin.ts";
import { casePage, type LegalBasis } from "./views/case.ts";
import { ledgerOutcome, ledgerPage, listPage } from "./views/cases.ts";
import { loginPage } from "./views/login.ts";
import { CONSOLE_CSS } from "./views/style.ts";
import { periodTitle, summaryPage } from "./views/summary.ts";

export interface ConsoleOptions {
  casebook: Casebook;
  /** For the legal basis: the citation and the article text of each key. */
  knowledge: Pick<KnowledgeBase, "unit" | "citation">;
  /** The case backend "approve and forward" queues a case for (e.g. "open311"). */
  forwardBackend?: string | undefined;
  now?: () => Date;
  config?: Partial<ConsoleConfig>;
}

type Env = { Variables: { session: Session } };
type Ctx = Context<Env>;

const SESSION_COOKIE = "wuye_console";
const LOGIN_COOKIE = "wuye_console_login";

/** Any local path, never another site (//evil.example or a scheme). */
function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : "/cases";
}

function field(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "string" ? first : "";
}

function fields(body: Record<string, unknown>, name: string): string[] {
  const v = body[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === "string");
}

function oneOf<T extends string>(values: readonly T[], v: string | undefined): T | undefined {
  return v !== undefined && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** "::ffff:127.0.0.1" and "127.0.0.1" are one address. */
function plainAddress(address: string): string {
  return address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
}

/**
 * The address a request comes from: the socket's peer, or, when that peer is a trusted reverse
 * proxy, the last X-Forwarded-For hop that is not one of the trusted proxies.
 */
export function clientAddress(
  peer: string,
  forwardedFor: string | undefined,
  trusted: readonly string[],
): string {
  const trust = new Set(trusted.map(plainAddress));
  let address = plainAddress(peer);
  if (!trust.has(address) || !forwardedFor) return address;
  const hops = forwardedFor.split(",").map(plainAddress).filter(Boolean);
  while (hops.length > 0 && trust.has(address)) address = hops.pop() as string;
  return address;
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  // A resident's words must not become a spreadsheet formula when staff open the file.
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvBody(rows: unknown[][]): string {
  return `\uFEFF${stringify(
    rows.map((r) => r.map(csvCell)),
    { record_delimiter: "\r\n" },
  )}`;
}

function csvResponse(c: Ctx, name: string, body: string): Response {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_");
  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header(
    "Content-Disposition",
    `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  );
  return c.body(body);
}

/**
 * The staff console: server-rendered pages over the casebook. Every page
 * needs a login; every form carries the session's CSRF token; reviewers see
 * and change only the cases of their districts.
 */
export function createConsoleApp(options: ConsoleOptions): Hono<Env> {
  const { casebook, knowledge } = options;
  const now = options.now ?? (() => new Date());
  const config: ConsoleConfig = {
    ...DEFAULT_CONFIG,
    ...options.config,
    overdueDays: { ...DEFAULT_CONFIG.overdueDays, ...options.config?.overdueDays },
  };
  const auth = new ConsoleAuth(casebook.db, config, now);

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
  const store = new ConsoleStore(casebook.db, config, now);
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

  // --- login ------------------------------------------------------------------

  app.get("/login", (c) => {
    if (auth.session(getCookie(c, SESSION_COOKIE))) return c.redirect("/cases", 303);
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
      store.audit({ user: result.user, action: "login", detail: { ip: clientIp(c) } });
      return c.redirect(next, 303);
    }
    store.audit({
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

  // --- everything below needs a session -------------------------------------------

  app.use(async (c, next) => {
    const session = auth.session(getCookie(c, SESSION_COOKIE));
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
            ctxOf(c),
            "请求无效",
            "表单缺少有效的校验码（可能已过期），请返回刷新页面后重试。",
          ),
          403,
        );
      }
    }
    await next();
  });

  function ctxOf(c: Ctx, active?: string) {
    const session = c.get("session");
    return {
      user: session.user,
      csrf: session.csrf,
      flash: c.req.method === "GET" ? auth.takeFlash(session.idHash) : undefined,
      ...(active ? { active } : {}),
    };
  }

  function done(c: Ctx, to: string, text: string, kind: "ok" | "error" = "ok"): Response {
    auth.setFlash(c.get("session").idHash, { kind, text });
    return c.redirect(to, 303);
  }

  function forbidden(c: Ctx, message: string): Response {
    return c.html(errorPage(ctxOf(c), "无权访问", message), 403);
  }

  function requireAdmin(c: Ctx): Response | undefined {
    return c.get("session").user.role === "admin"
      ? undefined
      : forbidden(c, "只有管理员可以使用此功能。");
  }

  app.get("/", (c) => c.redirect("/cases", 303));

  app.post("/logout", (c) => {
    const session = c.get("session");
    auth.logout(session.idHash);
    store.audit({ user: session.user, action: "logout" });
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/login", 303);
  });

  // --- the complaint list and the ledger ------------------------------------------

  function parseFilter(c: Ctx): CaseFilter {
    const q = (name: string) => c.req.query(name)?.trim() || undefined;
    const user = c.get("session").user;
    const filter: CaseFilter = {};
    const status = oneOf(CASE_STATUSES, q("status"));
    if (status) filter.status = status;
    const category = oneOf([...CATEGORIES, "none"] as const, q("category"));
    if (category) filter.category = category;
    const district = oneOf([...DISTRICTS, "none"] as const, q("district"));
    if (district) filter.district = district;
    const urgency = oneOf(URGENCIES, q("urgency"));
    if (urgency) filter.urgency = urgency;
    const community = q("community")?.slice(0, 64);
    if (community) filter.community = community;
    const company = q("company")?.slice(0, 80);
    if (company) filter.company = company;
    const from = q("from");
    if (isDay(from)) filter.from = from;
    const to = q("to");
    if (isDay(to)) filter.to = to;
    const search = q("q")?.slice(0, 200);
    if (search) filter.q = search;
    if (q("overdue") === "1") filter.overdue = true;
    if (q("mine") === "1") filter.assignee = user.username;
    return filter;
  }

  function filterQuery(filter: CaseFilter): string {
    const p = new URLSearchParams();
    for (const key of [
      "q",
      "status",
      "category",
      "district",
      "community",
      "company",
      "urgency",
      "from",
      "to",
    ] as const) {
      const v = filter[key];
      if (v) p.set(key, v);
    }
    if (filter.overdue) p.set("overdue", "1");
    if (filter.assignee) p.set("mine", "1");
    return p.toString();
  }

  function listInput(c: Ctx, active: string) {
    const user = c.get("session").user;
    const scope = scopeOf(user);
    const filter = parseFilter(c);
    const pageNo = Math.max(
      1,
      Math.min(100_000, Number.parseInt(c.req.query("page") ?? "1", 10) || 1),
    );
    const { rows, total } = store.listCases(filter, scope, {
      offset: (pageNo - 1) * config.pageSize,
      limit: config.pageSize,
    });
    return {
      ctx: ctxOf(c, active),
      filter,
      query: filterQuery(filter),
      scope,
      communities: store.knownValues("community", scope),
      companies: store.knownValues("company", scope),
      rows,
      total,
      page: pageNo,
      pageSize: config.pageSize,
      overdueDays: config.overdueDays,
    };
  }

  app.get("/cases", (c) => c.html(listPage(listInput(c, "cases"))));
  app.get("/ledger", (c) => c.html(ledgerPage(listInput(c, "ledger"))));

  app.get("/ledger.csv", (c) => {
    const user = c.get("session").user;
    const filter = parseFilter(c);
    const { rows } = store.listCases(filter, scopeOf(user), undefined);
    const table: unknown[][] = [
      [
        "编号",
        "登记时间",
        "区县",
        "小区",
        "具体位置",
        "物业公司",
        "类别",
        "紧急程度",
        "状态",
        "情况描述",
        "处理结果",
        "办结时间",
        "办结期限",
        "是否超期",
        "经办人",
      ],
      ...rows.map((r) => [
        r.number,
        localDateTime(r.createdAt),
        r.district ?? "",
        r.community ?? "",
        r.location ?? "",
        r.company ?? "",
        r.category ? CATEGORY_SHORT[r.category] : "未分类",
        URGENCY_SHORT[r.urgency],
        STATUS_SHORT[r.status],
        r.description,
        ledgerOutcome(r),
        localDateTime(r.closedAt),
        localDateTime(r.deadline),
        overdueWord(r),
        r.assignee ?? "",
      ]),
    ];
    store.audit({
      user,
      action: "export",
      detail: { what: "问题台账", rows: rows.length, filter },
    });
    return csvResponse(c, `问题台账-${localDay(now()).replace(/-/g, "")}.csv`, csvBody(table));
  });

  function overdueWord(r: CaseRow): string {
    if (r.overdue) return "已超期";
    if (r.closedAt) return r.closedAt > r.deadline ? "超期办结" : "按期办结";
    return "未到期";
  }

  // --- one complaint ----------------------------------------------------------------

  /** The case if this user may see it; otherwise the 404 or 403 response to send. */
  function loadCase(c: Ctx): CaseRow | Response {
    const row = store.caseByNumber(c.req.param("number") ?? "");
    if (!row) return c.html(errorPage(ctxOf(c), "找不到投诉", "没有这个编号的投诉。"), 404);
    if (!inScope(scopeOf(c.get("session").user), row.district)) {
      return forbidden(c, "这件投诉不属于您负责的区县，无权查看或处理。");
    }
    return row;
  }

  /** Active accounts that may see a case in this district. */
  function assignable(district: string | null): ConsoleUser[] {
    return auth
      .listUsers()
      .filter(
        (u) =>
          !u.disabled &&
          (u.role === "admin" || (district !== null && u.districts.includes(district as District))),
      );
  }

  app.get("/cases/:number", (c) => {
    const row = loadCase(c);
    if (row instanceof Response) return row;
    const filed = casebook.get(row.id);
    if (!filed) return c.notFound();
    const legal: LegalBasis[] = filed.complaint.legal_basis.map((key) => {
      const unit = knowledge.unit(key);
      return { key, citation: knowledge.citation(key), text: unit ? unitText(unit) : null };
    });
    const ctx = ctxOf(c, "cases");
    return c.html(
      casePage({
        ctx,
        row,
        filed,
        scope: scopeOf(ctx.user),
        legal,
        history: store.history(row.id),
        notes: store.notes(row.id),
        audit: store.auditFor(row.id),
        outbox: casebook.outboxFor(row.id),
        assignable: assignable(row.district),
        forwardBackend: options.forwardBackend,
      }),
    );
  });

  /** A case action: load, check the case is in a status that allows it, then run. */
  function action(
    name: string,
    allowed: readonly CaseStatus[] | "any",
    run: (c: Ctx, row: CaseRow, body: Record<string, unknown>, user: ConsoleUser) => Response,
  ) {
    app.post(`/cases/:number/${name}`, async (c) => {
      const row = loadCase(c);
      if (row instanceof Response) return row;
      const back = `/cases/${row.number}`;
      if (allowed !== "any" && !allowed.includes(row.status)) {
        return done(c, back, `当前状态为“${STATUS_SHORT[row.status]}”，不能执行此操作。`, "error");
      }
      const body = await c.req.parseBody({ all: true });
      return run(c, row, body, c.get("session").user);
    });
  }

  const OPEN: CaseStatus[] = CASE_STATUSES.filter((s) => !FINAL_STATUSES.includes(s));

  action("edit", "any", (c, row, body, user) => {
    const back = `/cases/${row.number}`;
    const text = (name: string, max: number) => {
      const v = field(body, name).trim();
      return v === "" ? null : v.slice(0, max);
    };
    const categoryRaw = field(body, "category");
    const districtRaw = field(body, "district");
    const urgency = oneOf(URGENCIES, field(body, "urgency"));
    const category = categoryRaw === "" ? null : oneOf(CATEGORIES, categoryRaw);
    const district = districtRaw === "" ? null : oneOf(DISTRICTS, districtRaw);
    if (!urgency || category === undefined || district === undefined) {
      return done(c, back, "修改未保存：类别、区县或紧急程度的取值无效。", "error");
    }
    if (district === null && user.role !== "admin") {
      return done(c, back, "修改未保存：请选择区县。", "error");
    }
    const next = {
      category,
      district,
      community: text("community", 64),
      urgency,
      location: text("location", 120),
      company: text("company", 80),
    };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [k, v] of Object.entries(next)) {
      const before = row[k as keyof typeof next];
      if (before !== v) changes[k] = { from: before, to: v };
    }
    if (Object.keys(changes).length === 0) return done(c, back, "没有需要保存的修改。");
    casebook.transaction(() => {
      store.updateFields(
        row.id,
        Object.fromEntries(Object.keys(changes).map((k) => [k, next[k as keyof typeof next]])),
      );
      if (changes.category) replacePlanKey(row.id, row.category, category);
      store.audit({ caseId: row.id, user, action: "edit", detail: { changes } });
    });
    if (!inScope(scopeOf(user), district)) {
      return done(
        c,
        "/cases",
        `投诉 ${row.number} 已改到${district ?? "未填写区县"}，转由该区县处理，您将不再能查看。`,
      );
    }
    return done(c, back, "已保存修改。");
  });

  /** The legal basis always includes the plan action of the case's category; follow a correction. */
  function replacePlanKey(caseId: string, from: Category | null, to: Category | null) {
    const row = casebook.db.prepare("SELECT legal_basis FROM cases WHERE id = ?").get(caseId) as {
      legal_basis: string;
    };
    const oldKey = from ? CATEGORY_PLAN_KEY[from] : undefined;
    const newKey = to ? CATEGORY_PLAN_KEY[to] : undefined;
    let keys = (JSON.parse(row.legal_basis) as string[]).filter((k) => k !== oldKey);
    if (newKey && !keys.includes(newKey)) keys = [...keys, newKey];
    casebook.db
      .prepare("UPDATE cases SET legal_basis = ? WHERE id = ?")
      .run(JSON.stringify(keys), caseId);
  }

  action("forward", ["new"], (c, row, body, user) => {
    const note = field(body, "note").trim().slice(0, 200);
    const backend = options.forwardBackend;
    casebook.transaction(() => {
      if (backend) casebook.enqueue(row.id, backend);
      casebook.changeStatus(row.id, {
        status: "forwarded",
        ...(note ? { note } : {}),
        actor: user.username,
        source: "staff",
      });
      store.audit({
        caseId: row.id,
        user,
        action: "forward",
        detail: { backend: backend ?? null, note },
      });
    });
    return done(
      c,
      `/cases/${row.number}`,
      backend
        ? `已审核通过，已排队通过“${backend}”转交，并已通知居民。`
        : "已审核通过并标记为已转交，已通知居民。",
    );
  });

  /** Ends a case with a reason the resident is told, recorded as its outcome and in the audit trail. */
  function finish(
    caseId: string,
    user: ConsoleUser,
    status: "rejected" | "closed",
    action: "reject" | "close",
    text: string,
  ): void {
    casebook.transaction(() => {
      casebook.changeStatus(caseId, { status, note: text, actor: user.username, source: "staff" });
      store.setColumn(caseId, "outcome", text);
      store.audit({
        caseId,
        user,
        action,
        detail: action === "reject" ? { reason: text } : { outcome: text },
      });
    });
  }

  action("reject", OPEN, (c, row, body, user) => {
    const reason = field(body, "reason").trim().slice(0, 500);
    if (!reason) return done(c, `/cases/${row.number}`, "请填写不予受理的理由。", "error");
    finish(row.id, user, "rejected", "reject", reason);
    return done(c, `/cases/${row.number}`, "已标记为不予受理，并已告知居民理由。");
  });

  action("duplicate", OPEN, (c, row, body, user) => {
    const back = `/cases/${row.number}`;
    const ofNumber = field(body, "of").trim().toUpperCase().slice(0, 40);
    const target = ofNumber ? store.caseByNumber(ofNumber) : undefined;
    // A case the user may not see is reported as missing, so numbers cannot be probed.
    if (!target || !inScope(scopeOf(user), target.district)) {
      return done(c, back, `找不到编号为 ${ofNumber || "（空）"} 的投诉。`, "error");
    }
    if (target.id === row.id || target.duplicateOf === row.id) {
      return done(c, back, "不能把投诉标记为与自己（或以它为准的投诉）重复。", "error");
    }
    casebook.transaction(() => {
      store.setColumn(row.id, "duplicate_of", target.id);
      store.setColumn(row.id, "outcome", `与 ${target.number} 合并处理`);
      casebook.changeStatus(row.id, {
        status: "duplicate",
        note: `与投诉 ${target.number} 合并处理`,
        actor: user.username,
        source: "staff",
      });
      store.audit({ caseId: row.id, user, action: "duplicate", detail: { of: target.number } });
    });
    return done(c, back, `已标记为与 ${target.number} 重复，并已告知居民。`);
  });

  action("assign", "any", (c, row, body, user) => {
    const back = `/cases/${row.number}`;
    const username = field(body, "assignee").trim();
    const to =
      username === "" ? null : assignable(row.district).find((u) => u.username === username);
    if (to === undefined) return done(c, back, "只能指派给负责该区县的在职账号。", "error");
    const toName = to?.username ?? null;
    if (toName === row.assignee) return done(c, back, "经办人没有变化。");
    casebook.transaction(() => {
      store.setColumn(row.id, "assignee", toName);
      store.audit({
        caseId: row.id,
        user,
        action: "assign",
        detail: { from: row.assignee, to: toName },
      });
    });
    return done(c, back, toName ? `已指派给 ${toName}。` : "已取消指派。");
  });

  action("note", "any", (c, row, body, user) => {
    const back = `/cases/${row.number}`;
    const text = field(body, "text").trim().slice(0, 2000);
    if (!text) return done(c, back, "备注不能为空。", "error");
    casebook.transaction(() => {
      store.addNote(row.id, user, text);
      store.audit({ caseId: row.id, user, action: "note", detail: { length: [...text].length } });
    });
    return done(c, back, "已添加备注。");
  });

  action("close", OPEN, (c, row, body, user) => {
    const back = `/cases/${row.number}`;
    const outcome = field(body, "outcome").trim().slice(0, 1000);
    if (!outcome) return done(c, back, "请填写处理结果。", "error");
    finish(row.id, user, "closed", "close", outcome);
    return done(c, back, "已办结，处理结果已告知居民。");
  });

  // --- summaries ----------------------------------------------------------------

  function weekOf(c: Ctx): {
    summary: Summary;
    prev: string;
    next: string | undefined;
    start: string;
  } {
    const asked = c.req.query("start");
    const today = localDay(now());
    const start = weekStart(isDay(asked) ? asked : today);
    const summary = computeSummary(
      casebook.db,
      config,
      scopeOf(c.get("session").user),
      weekPeriod(start),
      now(),
    );
    const following = addDays(start, 7);
    return {
      summary,
      start,
      prev: `/summary/week?start=${addDays(start, -7)}`,
      next: following <= today ? `/summary/week?start=${following}` : undefined,
    };
  }

  function monthOf(c: Ctx): {
    summary: Summary;
    prev: string;
    next: string | undefined;
    month: string;
  } {
    const asked = c.req.query("month");
    const today = localDay(now());
    const month = isMonth(asked) ? asked : today.slice(0, 7);
    const following = nextMonth(month);
    const summary = computeSummary(
      casebook.db,
      config,
      scopeOf(c.get("session").user),
      monthPeriod(month, following),
      now(),
    );
    return {
      summary,
      month,
      prev: `/summary/month?month=${previousMonth(month)}`,
      next: `${following}-01` <= today ? `/summary/month?month=${following}` : undefined,
    };
  }

  function scopeNote(user: ConsoleUser): string {
    return user.role === "admin" ? "统计范围：全市" : `统计范围：${user.districts.join("、")}`;
  }

  app.get("/summary/week", (c) => {
    const w = weekOf(c);
    const ctx = ctxOf(c);
    return c.html(
      summaryPage({
        ctx,
        summary: w.summary,
        title: periodTitle(w.summary),
        prev: w.prev,
        next: w.next,
        csv: `/summary/week.csv?start=${w.start}`,
        picker: html`<form method="get" action="/summary/week" class="actions-row"><label>选择日期所在周<input type="date" name="start" value="${w.start}"></label><button type="submit" class="secondary">查看</button></form>`,
        scopeNote: scopeNote(ctx.user),
        generatedAt: localDateTime(now().toISOString()),
      }),
    );
  });

  app.get("/summary/month", (c) => {
    const m = monthOf(c);
    const ctx = ctxOf(c);
    return c.html(
      summaryPage({
        ctx,
        summary: m.summary,
        title: periodTitle(m.summary),
        prev: m.prev,
        next: m.next,
        csv: `/summary/month.csv?month=${m.month}`,
        picker: html`<form method="get" action="/summary/month" class="actions-row"><label>月份<input type="month" name="month" value="${m.month}"></label><button type="submit" class="secondary">查看</button></form>`,
        scopeNote: scopeNote(ctx.user),
        generatedAt: localDateTime(now().toISOString()),
      }),
    );
  });

  function summaryCsv(c: Ctx, summary: Summary, name: string): Response {
    const user = c.get("session").user;
    const title = periodTitle(summary);
    const section = (head: string, rows: Summary["byCategory"]) => [
      [],
      [head, "新增", "办结", "超期未办结"],
      ...rows.map((r) => [r.label, r.filed, r.closed, r.overdue]),
    ];
    const table: unknown[][] = [
      [title],
      [scopeNote(user), `超期按 ${localDateTime(summary.asOf)} 统计`],
      [],
      ["指标", "件数"],
      ["本期新增", summary.filed],
      ["本期办结（含不予受理、合并）", summary.closed],
      ["超期未办结", summary.overdue],
      ["期末未办结", summary.open],
      ...section("类别", summary.byCategory),
      ...section("区县", summary.byDistrict),
      ...section(
        "物业公司",
        summary.byCompany.map((r) => (r.key === NOT_GIVEN ? { ...r, label: "未填写" } : r)),
      ),
      [],
      ["本期新增投诉的当前状态", "件数"],
      ...summary.byStatus.map((r) => [r.label, r.count]),
      [],
      ["日期", "新增", "办结"],
      ...summary.daily.map((d) => [d.day, d.filed, d.closed]),
    ];
    store.audit({ user, action: "export", detail: { what: title, rows: table.length } });
    return csvResponse(c, name, csvBody(table));
  }

  app.get("/summary/week.csv", (c) => {
    const w = weekOf(c);
    return summaryCsv(c, w.summary, `周汇总-${w.start}.csv`);
  });

  app.get("/summary/month.csv", (c) => {
    const m = monthOf(c);
    return summaryCsv(c, m.summary, `月调度-${m.month}.csv`);
  });

  // --- accounts -------------------------------------------------------------------

  app.get("/users", (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    return c.html(usersPage(ctxOf(c), auth.listUsers()));
  });

  app.post("/users", async (c) => {
    const denied = requireAdmin(c);
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
      store.audit({
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

  app.post("/users/:id/:op{disable|enable}", (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const target = auth.getUser(Number(c.req.param("id")));
    const me = c.get("session").user;
    if (!target) return done(c, "/users", "没有这个账号。", "error");
    if (target.id === me.id) return done(c, "/users", "不能停用自己的账号。", "error");
    const disable = c.req.param("op") === "disable";
    auth.setDisabled(target.id, disable);
    store.audit({
      user: me,
      action: disable ? "user_disabled" : "user_enabled",
      detail: { username: target.username },
    });
    return done(c, "/users", `${disable ? "已停用" : "已启用"}账号 ${target.username}。`);
  });

  app.post("/users/:id/password", async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const target = auth.getUser(Number(c.req.param("id")));
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
    store.audit({
      user: c.get("session").user,
      action: "password_changed",
      detail: { username: target.username },
    });
    return done(c, "/users", `已重置 ${target.username} 的密码，该账号需用新密码重新登录。`);
  });

  app.get("/account", (c) => c.html(accountPage(ctxOf(c))));

  app.post("/account/password", async (c) => {
    const user = c.get("session").user;
    const body = await c.req.parseBody();
    const password = field(body, "password");
    const checked = await auth.checkPassword(user.id, field(body, "current"));
    if (!checked.ok) {
      store.audit({ user, action: "password_check_failed", detail: { ip: clientIp(c) } });
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
    store.audit({ user, action: "password_changed", detail: { username: user.username } });
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/login?changed=1", 303);
  });

  app.get("/audit", (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const pageNo = Math.max(1, Number.parseInt(c.req.query("page") ?? "1", 10) || 1);
    const size = 50;
    const entries = store.recentAudit(size + 1, (pageNo - 1) * size);
    return c.html(auditPage(ctxOf(c), entries.slice(0, size), pageNo, entries.length > size));
  });

  app.notFound((c) => c.html(errorPage({}, "页面不存在", "没有这个页面。"), 404));
  app.onError((err, c) => {
    if (/^SQLITE_(BUSY|LOCKED)/.test(String((err as { code?: unknown }).code ?? ""))) {
      // Another process holds the casebook's write lock: say so at once rather than hang.
      c.header("Retry-After", "1");
      return c.html(errorPage({}, "系统繁忙", "数据库正忙，请稍后重试。"), 503);
    }
    console.error(err);
    return c.html(errorPage({}, "出错了", "服务器处理请求时出错，请稍后重试。"), 500);
  });

  return app;
}

export type { Scope };
