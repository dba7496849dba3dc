import { type Html, html, raw } from "../html.ts";
import type { BreakdownRow, Summary } from "../summary.ts";
import { trendChart } from "../summary.ts";
import { addDays, localDateTime } from "../time.ts";
import type { PageContext } from "./layout.ts";
import { page } from "./layout.ts";

export interface SummaryInput {
  ctx: PageContext;
  summary: Summary;
  title: string;
  /** Links to the previous and next period, and the CSV of this one. */
  prev: string;
  next: string | undefined;
  csv: string;
  picker: Html;
  scopeNote: string;
  generatedAt: string;
}

export function periodTitle(s: Summary): string {
  const last = addDays(s.period.to, -1);
  return s.period.kind === "week"
    ? `周汇总（${s.period.from} 至 ${last}）`
    : `月调度（${s.period.from.slice(0, 4)}年${Number(s.period.from.slice(5, 7))}月）`;
}

function breakdownTable(title: string, head: string, rows: BreakdownRow[], cls: string): Html {
  const total = rows.reduce(
    (t, r) => ({
      filed: t.filed + r.filed,
      closed: t.closed + r.closed,
      overdue: t.overdue + r.overdue,
    }),
    { filed: 0, closed: 0, overdue: 0 },
  );
  return html`<section class="panel"><h2>${title}</h2><div class="table-wrap"><table class="${cls}">
    <thead><tr><th>${head}</th><th class="num">新增</th><th class="num">办结</th><th class="num">超期未办结</th></tr></thead>
    <tbody>${
      rows.length === 0
        ? html`<tr><td colspan="4" class="muted">无</td></tr>`
        : rows.map(
            (r) =>
              html`<tr data-key="${r.key}"><td>${r.label}</td><td class="num">${r.filed}</td><td class="num">${r.closed}</td><td class="num">${r.overdue}</td></tr>`,
          )
    }<tr><th>合计</th><th class="num">${total.filed}</th><th class="num">${total.closed}</th><th class="num">${total.overdue}</th></tr></tbody>
  </table></div></section>`;
}

export function summaryPage(input: SummaryInput): string {
  const s = input.summary;
  const active = s.period.kind;
  return page(
    input.title,
    { ...input.ctx, active },
    html`<h1>${input.title}</h1>
    <p class="print-only small">${input.scopeNote}　生成时间：${input.generatedAt}</p>
    <div class="panel no-print actions-row">
      <a href="${input.prev}">← 上一${active === "week" ? "周" : "月"}</a>
      ${input.next ? html`<a href="${input.next}">下一${active === "week" ? "周" : "月"} →</a>` : ""}
      ${input.picker}
      <a class="button secondary" href="${input.csv}">导出 CSV</a>
      <span class="small muted">打印：使用浏览器的“打印”（Ctrl+P），导航和按钮不会打印。</span>
    </div>
    <p class="small muted no-print">${input.scopeNote}。“超期未办结”按 ${localDateTime(s.asOf)} 时的情况统计；“办结”包括办结、不予受理和合并处理。</p>
    <div class="cards">
      <div class="card"><div class="muted">本期新增</div><div class="value" data-figure="filed">${s.filed}</div></div>
      <div class="card"><div class="muted">本期办结</div><div class="value" data-figure="closed">${s.closed}</div></div>
      <div class="card warn"><div class="muted">超期未办结</div><div class="value" data-figure="overdue">${s.overdue}</div></div>
      <div class="card"><div class="muted">期末未办结</div><div class="value" data-figure="open">${s.open}</div></div>
    </div>
    <section class="panel"><h2>每日新增与办结</h2>${raw(trendChart(s.daily, `${input.title}：每日新增与办结`))}</section>
    ${breakdownTable("按类别", "类别", s.byCategory, "by-category")}
    ${breakdownTable("按区县", "区县", s.byDistrict, "by-district")}
    ${breakdownTable("按物业公司", "物业公司", s.byCompany, "by-company")}
    <section class="panel"><h2>本期新增投诉的当前状态</h2><div class="table-wrap"><table class="by-status">
      <thead><tr><th>状态</th><th class="num">件数</th></tr></thead>
      <tbody>${s.byStatus.map((r) => html`<tr data-key="${r.status}"><td>${r.label}</td><td class="num">${r.count}</td></tr>`)}</tbody>
    </table></div></section>`,
  );
}
