import { Hono } from "hono";
import type { ConsoleUser } from "../auth.ts";
import { html } from "../html.ts";
import { scopeOf } from "../store.ts";
import { computeSummary, monthPeriod, NOT_GIVEN, type Summary, weekPeriod } from "../summary.ts";
import {
  addDays,
  isDay,
  isMonth,
  localDateTime,
  localDay,
  nextMonth,
  previousMonth,
  weekStart,
} from "../time.ts";
import { periodTitle, summaryPage } from "../views/summary.ts";

import { type ConsoleDeps, type Ctx, csvBody, csvResponse, type Env } from "./context.ts";

/** Weekly and monthly summaries, on screen and as CSV. */
export function summaryRoutes(deps: ConsoleDeps): Hono<Env> {
  const { now, config, store, ctxOf } = deps;
  const app = new Hono<Env>();

  // --- summaries ----------------------------------------------------------------

  async function weekOf(c: Ctx): Promise<{
    summary: Summary;
    prev: string;
    next: string | undefined;
    start: string;
  }> {
    const asked = c.req.query("start");
    const today = localDay(now());
    const start = weekStart(isDay(asked) ? asked : today);
    const summary = await computeSummary(
      store.db,
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

  async function monthOf(c: Ctx): Promise<{
    summary: Summary;
    prev: string;
    next: string | undefined;
    month: string;
  }> {
    const asked = c.req.query("month");
    const today = localDay(now());
    const month = isMonth(asked) ? asked : today.slice(0, 7);
    const following = nextMonth(month);
    const summary = await computeSummary(
      store.db,
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

  app.get("/summary/week", async (c) => {
    const w = await weekOf(c);
    const ctx = await ctxOf(c);
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

  app.get("/summary/month", async (c) => {
    const m = await monthOf(c);
    const ctx = await ctxOf(c);
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

  async function summaryCsv(c: Ctx, summary: Summary, name: string): Promise<Response> {
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
    await store.audit({ user, action: "export", detail: { what: title, rows: table.length } });
    return csvResponse(c, name, csvBody(table));
  }

  app.get("/summary/week.csv", async (c) => {
    const w = await weekOf(c);
    return summaryCsv(c, w.summary, `周汇总-${w.start}.csv`);
  });

  app.get("/summary/month.csv", async (c) => {
    const m = await monthOf(c);
    return summaryCsv(c, m.summary, `月调度-${m.month}.csv`);
  });

  return app;
}
