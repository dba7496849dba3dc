import { CASE_STATUSES } from "../../bot/complaint.ts";
import type { ConsoleUser } from "../auth.ts";
import { type Html, html } from "../html.ts";
import { CATEGORY_SHORT, STATUS_SHORT } from "../labels.ts";
import type { CaseFilter, CaseRow, Scope } from "../store.ts";
import { localDateTime } from "../time.ts";
import {
  CATEGORY_OPTIONS,
  deadlineCell,
  districtOptions,
  rowClass,
  statusBadge,
  URGENCY_OPTIONS,
  urgencyBadge,
} from "./common.ts";
import { type PageContext, page, select } from "./layout.ts";

const STATUS_OPTIONS = CASE_STATUSES.map((s) => [s, STATUS_SHORT[s]] as const);

export interface ListInput {
  ctx: PageContext & { user: ConsoleUser };
  filter: CaseFilter;
  /** The filter as a query string (without page), for links that keep it. */
  query: string;
  scope: Scope;
  communities: string[];
  companies: string[];
  rows: CaseRow[];
  total: number;
  page: number;
  pageSize: number;
  overdueDays: Record<string, number>;
}

function filterForm(input: ListInput, action: string, extra: Html | string = ""): Html {
  const f = input.filter;
  const districts = districtOptions(input.scope);
  if (input.scope.all) districts.push(["none", "未填写区县"]);
  return html`<form class="filters panel" method="get" action="${action}">
    <label>关键词<input type="search" name="q" value="${f.q ?? ""}" placeholder="描述、位置、小区、物业公司"></label>
    <label>状态${select("status", STATUS_OPTIONS, f.status, { empty: "全部" })}</label>
    <label>类别${select("category", [...CATEGORY_OPTIONS, ["none", "未分类"]], f.category, { empty: "全部" })}</label>
    <label>区县${select("district", districts, f.district, { empty: "全部" })}</label>
    <label>小区<input name="community" list="communities" value="${f.community ?? ""}"></label>
    <label>物业公司<input name="company" list="companies" value="${f.company ?? ""}"></label>
    <label>紧急程度${select("urgency", URGENCY_OPTIONS, f.urgency, { empty: "全部" })}</label>
    <label>登记日期起<input type="date" name="from" value="${f.from ?? ""}"></label>
    <label>登记日期止<input type="date" name="to" value="${f.to ?? ""}"></label>
    <label class="check"><input type="checkbox" name="overdue" value="1" ${f.overdue ? "checked" : ""}> 只看超期</label>
    <label class="check"><input type="checkbox" name="mine" value="1" ${f.assignee ? "checked" : ""}> 只看指派给我的</label>
    <div class="actions-row"><button type="submit">筛选</button><a class="button secondary" href="${action}">清除</a>${extra}</div>
    <datalist id="communities">${input.communities.map((c) => html`<option value="${c}">`)}</datalist>
    <datalist id="companies">${input.companies.map((c) => html`<option value="${c}">`)}</datalist>
  </form>`;
}

function pager(input: ListInput, path: string): Html {
  const pages = Math.max(1, Math.ceil(input.total / input.pageSize));
  const link = (p: number) => `${path}?${input.query}${input.query ? "&" : ""}page=${p}`;
  return html`<div class="pager">
    <span>共 ${input.total} 件，第 ${input.page} / ${pages} 页</span>
    ${input.page > 1 ? html`<a href="${link(input.page - 1)}">上一页</a>` : ""}
    ${input.page < pages ? html`<a href="${link(input.page + 1)}">下一页</a>` : ""}
  </div>`;
}

function summaryText(text: string, max = 60): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : text;
}

export function listPage(input: ListInput): string {
  const d = input.overdueDays;
  return page(
    "投诉列表",
    input.ctx,
    html`<h1>投诉列表</h1>
    ${filterForm(input, "/cases")}
    <p class="muted small">紧急投诉排在最前；超期（一般 ${d.normal} 天、较急 ${d.high} 天、紧急当天内未办结）的行以橙色标出。</p>
    ${pager(input, "/cases")}
    <div class="table-wrap"><table class="cases cards-on-phone">
      <thead><tr><th>编号</th><th>登记时间</th><th>区县</th><th>小区</th><th>类别</th><th>紧急程度</th><th>状态</th><th>经办人</th><th>情况</th><th>办结期限</th></tr></thead>
      <tbody>${
        input.rows.length === 0
          ? html`<tr><td colspan="10" class="muted">没有符合条件的投诉。</td></tr>`
          : input.rows.map(
              (r) => html`<tr class="${rowClass(r)}" data-number="${r.number}">
            <td data-label="编号" class="nowrap"><a href="/cases/${r.number}">${r.number}</a></td>
            <td data-label="登记时间" class="nowrap">${localDateTime(r.createdAt)}</td>
            <td data-label="区县" class="nowrap">${r.district ?? html`<span class="muted">未填写</span>`}</td>
            <td data-label="小区">${r.community ?? ""}</td>
            <td data-label="类别">${r.category ? CATEGORY_SHORT[r.category] : html`<span class="muted">未分类</span>`}</td>
            <td data-label="紧急程度">${urgencyBadge(r.urgency)}</td>
            <td data-label="状态">${statusBadge(r.status)}</td>
            <td data-label="经办人">${r.assignee ?? ""}</td>
            <td data-label="情况">${summaryText(r.description)}</td>
            <td data-label="办结期限">${deadlineCell(r)}</td>
          </tr>`,
            )
      }</tbody>
    </table></div>
    ${pager(input, "/cases")}`,
  );
}

export function ledgerPage(input: ListInput): string {
  const csv = html`<a class="button secondary" href="/ledger.csv${input.query ? `?${input.query}` : ""}">导出 CSV</a>`;
  return page(
    "问题台账",
    input.ctx,
    html`<h1>问题台账</h1>
    ${filterForm(input, "/ledger", csv)}
    <p class="muted small">逐件对账销号：每件投诉的处理结果与办结时间。导出的 CSV 包含当前筛选条件下的全部投诉（不含居民联系方式）。</p>
    ${pager(input, "/ledger")}
    <div class="table-wrap"><table class="ledger cards-on-phone">
      <thead><tr><th>编号</th><th>登记时间</th><th>区县</th><th>小区</th><th>物业公司</th><th>类别</th><th>紧急程度</th><th>状态</th><th>处理结果</th><th>办结时间</th><th>是否超期</th><th>经办人</th></tr></thead>
      <tbody>${
        input.rows.length === 0
          ? html`<tr><td colspan="12" class="muted">没有符合条件的投诉。</td></tr>`
          : input.rows.map(
              (r) => html`<tr class="${rowClass(r)}">
            <td data-label="编号" class="nowrap"><a href="/cases/${r.number}">${r.number}</a></td>
            <td data-label="登记时间" class="nowrap">${localDateTime(r.createdAt)}</td>
            <td data-label="区县" class="nowrap">${r.district ?? ""}</td>
            <td data-label="小区">${r.community ?? ""}</td>
            <td data-label="物业公司">${r.company ?? ""}</td>
            <td data-label="类别">${r.category ? CATEGORY_SHORT[r.category] : "未分类"}</td>
            <td data-label="紧急程度">${urgencyBadge(r.urgency)}</td>
            <td data-label="状态">${statusBadge(r.status)}</td>
            <td data-label="处理结果">${ledgerOutcome(r)}</td>
            <td data-label="办结时间" class="nowrap">${localDateTime(r.closedAt)}</td>
            <td data-label="是否超期">${deadlineCell(r)}</td>
            <td data-label="经办人">${r.assignee ?? ""}</td>
          </tr>`,
            )
      }</tbody>
    </table></div>
    ${pager(input, "/ledger")}`,
  );
}

export function ledgerOutcome(r: CaseRow): string {
  if (r.status === "duplicate") return `与 ${r.duplicateOfNumber ?? "其他投诉"} 合并处理`;
  return r.outcome ?? "";
}
