import { Hono } from "hono";
import { deleteCookie } from "hono/cookie";
import {
  CASE_STATUSES,
  CATEGORIES,
  type CaseStatus,
  DISTRICTS,
  type District,
  URGENCIES,
} from "../../bot/complaint.ts";
import { unitText } from "../../knowledge/unit.ts";
import type { ConsoleUser } from "../auth.ts";
import { CATEGORY_SHORT, STATUS_SHORT, URGENCY_SHORT } from "../labels.ts";
import { type CaseFilter, type CaseRow, FINAL_STATUSES, inScope, scopeOf } from "../store.ts";
import { isDay, localDateTime, localDay } from "../time.ts";
import { errorPage } from "../views/admin.ts";
import { casePage, type LegalBasis } from "../views/case.ts";
import { ledgerOutcome, ledgerPage, listPage } from "../views/cases.ts";

import {
  type ConsoleDeps,
  type Ctx,
  csvBody,
  csvResponse,
  type Env,
  field,
  oneOf,
  SESSION_COOKIE,
} from "./context.ts";

/** The complaint list, the ledger and its CSV, one complaint and the actions on it. */
export function caseRoutes(deps: ConsoleDeps): Hono<Env> {
  const { cases, knowledge, options, now, config, auth, store, ctxOf, done, forbidden } = deps;
  const app = new Hono<Env>();

  app.get("/", (c) => c.redirect("/cases", 303));

  app.post("/logout", async (c) => {
    const session = c.get("session");
    await auth.logout(session.idHash);
    await store.audit({ user: session.user, action: "logout" });
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

  async function listInput(c: Ctx, active: string) {
    const user = c.get("session").user;
    const scope = scopeOf(user);
    const filter = parseFilter(c);
    const pageNo = Math.max(
      1,
      Math.min(100_000, Number.parseInt(c.req.query("page") ?? "1", 10) || 1),
    );
    const { rows, total } = await store.listCases(filter, scope, {
      offset: (pageNo - 1) * config.pageSize,
      limit: config.pageSize,
    });
    return {
      ctx: await ctxOf(c, active),
      filter,
      query: filterQuery(filter),
      scope,
      communities: await store.knownValues("community", scope),
      companies: await store.knownValues("company", scope),
      rows,
      total,
      page: pageNo,
      pageSize: config.pageSize,
      overdueDays: config.overdueDays,
    };
  }

  app.get("/cases", async (c) => c.html(listPage(await listInput(c, "cases"))));
  app.get("/ledger", async (c) => c.html(ledgerPage(await listInput(c, "ledger"))));

  app.get("/ledger.csv", async (c) => {
    const user = c.get("session").user;
    const filter = parseFilter(c);
    const { rows } = await store.listCases(filter, scopeOf(user), undefined);
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
    await store.audit({
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
  async function loadCase(c: Ctx): Promise<CaseRow | Response> {
    const row = await store.caseByNumber(c.req.param("number") ?? "");
    if (!row) return c.html(errorPage(await ctxOf(c), "找不到投诉", "没有这个编号的投诉。"), 404);
    if (!inScope(scopeOf(c.get("session").user), row.district)) {
      return forbidden(c, "这件投诉不属于您负责的区县，无权查看或处理。");
    }
    return row;
  }

  /** Active accounts that may see a case in this district. */
  async function assignable(district: string | null): Promise<ConsoleUser[]> {
    return (await auth.listUsers()).filter(
      (u) =>
        !u.disabled &&
        (u.role === "admin" || (district !== null && u.districts.includes(district as District))),
    );
  }

  app.get("/cases/:number", async (c) => {
    const row = await loadCase(c);
    if (row instanceof Response) return row;
    const filed = await cases.get(row.id);
    if (!filed) return c.notFound();
    const legal: LegalBasis[] = filed.complaint.legal_basis.map((key) => {
      const unit = knowledge.unit(key);
      return { key, citation: knowledge.citation(key), text: unit ? unitText(unit) : null };
    });
    const ctx = await ctxOf(c, "cases");
    return c.html(
      casePage({
        ctx,
        row,
        filed,
        scope: scopeOf(ctx.user),
        legal,
        history: await store.history(row.id),
        notes: await store.notes(row.id),
        audit: await store.auditFor(row.id),
        outbox: await cases.outboxFor(row.id),
        assignable: await assignable(row.district),
        forwardBackend: options.forwardBackend,
      }),
    );
  });

  /** A case action: load, check the case is in a status that allows it, then run. */
  function action(
    name: string,
    allowed: readonly CaseStatus[] | "any",
    run: (
      c: Ctx,
      row: CaseRow,
      body: Record<string, unknown>,
      user: ConsoleUser,
    ) => Promise<Response>,
  ) {
    app.post(`/cases/:number/${name}`, async (c) => {
      const row = await loadCase(c);
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

  action("edit", "any", async (c, row, body, user) => {
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
    await store.action(async (tx) => {
      await store.updateFields(
        tx,
        row.id,
        Object.fromEntries(Object.keys(changes).map((k) => [k, next[k as keyof typeof next]])),
      );
      if (changes.category) await store.replacePlanKey(tx, row.id, row.category, category);
      await store.audit({ caseId: row.id, user, action: "edit", detail: { changes } }, tx);
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

  action("forward", ["new"], async (c, row, body, user) => {
    const note = field(body, "note").trim().slice(0, 200);
    const backend = options.forwardBackend;
    await store.action(async (tx) => {
      if (backend) await tx.enqueue(row.id, backend);
      await tx.changeStatus(row.id, {
        status: "forwarded",
        ...(note ? { note } : {}),
        actor: user.username,
        source: "staff",
      });
      await store.audit(
        { caseId: row.id, user, action: "forward", detail: { backend: backend ?? null, note } },
        tx,
      );
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
  async function finish(
    caseId: string,
    user: ConsoleUser,
    status: "rejected" | "closed",
    action: "reject" | "close",
    text: string,
  ): Promise<void> {
    await store.action(async (tx) => {
      await tx.changeStatus(caseId, { status, note: text, actor: user.username, source: "staff" });
      await store.setColumn(tx, caseId, "outcome", text);
      await store.audit(
        {
          caseId,
          user,
          action,
          detail: action === "reject" ? { reason: text } : { outcome: text },
        },
        tx,
      );
    });
  }

  action("reject", OPEN, async (c, row, body, user) => {
    const reason = field(body, "reason").trim().slice(0, 500);
    if (!reason) return done(c, `/cases/${row.number}`, "请填写不予受理的理由。", "error");
    await finish(row.id, user, "rejected", "reject", reason);
    return done(c, `/cases/${row.number}`, "已标记为不予受理，并已告知居民理由。");
  });

  action("duplicate", OPEN, async (c, row, body, user) => {
    const back = `/cases/${row.number}`;
    const ofNumber = field(body, "of").trim().toUpperCase().slice(0, 40);
    const target = ofNumber ? await store.caseByNumber(ofNumber) : undefined;
    // A case the user may not see is reported as missing, so numbers cannot be probed.
    if (!target || !inScope(scopeOf(user), target.district)) {
      return done(c, back, `找不到编号为 ${ofNumber || "（空）"} 的投诉。`, "error");
    }
    if (target.id === row.id || target.duplicateOf === row.id) {
      return done(c, back, "不能把投诉标记为与自己（或以它为准的投诉）重复。", "error");
    }
    await store.action(async (tx) => {
      await store.setColumn(tx, row.id, "duplicate_of", target.id);
      await store.setColumn(tx, row.id, "outcome", `与 ${target.number} 合并处理`);
      await tx.changeStatus(row.id, {
        status: "duplicate",
        note: `与投诉 ${target.number} 合并处理`,
        actor: user.username,
        source: "staff",
      });
      await store.audit(
        { caseId: row.id, user, action: "duplicate", detail: { of: target.number } },
        tx,
      );
    });
    return done(c, back, `已标记为与 ${target.number} 重复，并已告知居民。`);
  });

  action("assign", "any", async (c, row, body, user) => {
    const back = `/cases/${row.number}`;
    const username = field(body, "assignee").trim();
    const to =
      username === ""
        ? null
        : (await assignable(row.district)).find((u) => u.username === username);
    if (to === undefined) return done(c, back, "只能指派给负责该区县的在职账号。", "error");
    const toName = to?.username ?? null;
    if (toName === row.assignee) return done(c, back, "经办人没有变化。");
    await store.action(async (tx) => {
      await store.setColumn(tx, row.id, "assignee", toName);
      await store.audit(
        { caseId: row.id, user, action: "assign", detail: { from: row.assignee, to: toName } },
        tx,
      );
    });
    return done(c, back, toName ? `已指派给 ${toName}。` : "已取消指派。");
  });

  action("note", "any", async (c, row, body, user) => {
    const back = `/cases/${row.number}`;
    const text = field(body, "text").trim().slice(0, 2000);
    if (!text) return done(c, back, "备注不能为空。", "error");
    await store.action(async (tx) => {
      await store.addNote(tx, row.id, user, text);
      await store.audit(
        { caseId: row.id, user, action: "note", detail: { length: [...text].length } },
        tx,
      );
    });
    return done(c, back, "已添加备注。");
  });

  action("close", OPEN, async (c, row, body, user) => {
    const back = `/cases/${row.number}`;
    const outcome = field(body, "outcome").trim().slice(0, 1000);
    if (!outcome) return done(c, back, "请填写处理结果。", "error");
    await finish(row.id, user, "closed", "close", outcome);
    return done(c, back, "已办结，处理结果已告知居民。");
  });

  return app;
}
