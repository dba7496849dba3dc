import {
  CATEGORIES,
  type CaseStatus,
  DISTRICTS,
  URGENCIES,
  type Urgency,
} from "../../bot/complaint.ts";
import { type Html, html } from "../html.ts";
import {
  ACTION_LABELS,
  CATEGORY_SHORT,
  FIELD_LABELS,
  STATUS_SHORT,
  URGENCY_SHORT,
} from "../labels.ts";
import type { AuditEntry, CaseRow, Scope } from "../store.ts";
import { FINAL_STATUSES } from "../store.ts";
import { localDateTime, localDay } from "../time.ts";

export const CATEGORY_OPTIONS = CATEGORIES.map((c) => [c, CATEGORY_SHORT[c]] as const);
export const URGENCY_OPTIONS = URGENCIES.map((u) => [u, URGENCY_SHORT[u]] as const);

export function districtOptions(scope: Scope): (readonly [string, string])[] {
  const mine = scope.all ? [...DISTRICTS] : DISTRICTS.filter((d) => scope.districts.includes(d));
  return mine.map((d) => [d, d] as const);
}

export function statusBadge(status: CaseStatus): Html {
  return html`<span class="badge ${FINAL_STATUSES.includes(status) ? "final" : ""}">${STATUS_SHORT[status]}</span>`;
}

export function urgencyBadge(urgency: Urgency): Html {
  return html`<span class="badge ${urgency}">${URGENCY_SHORT[urgency]}</span>`;
}

/** The last local day a case may be closed on (its deadline is the midnight after it). */
export function deadlineDay(row: CaseRow): string {
  return localDay(new Date(Date.parse(row.deadline) - 1));
}

export function deadlineCell(row: CaseRow): Html {
  if (row.overdue) {
    return html`<span class="badge overdue">已超期</span> <span class="small muted nowrap">截至 ${deadlineDay(row)}</span>`;
  }
  if (row.closedAt) {
    return row.closedAt > row.deadline
      ? html`<span class="badge overdue">超期办结</span>`
      : html`<span class="small muted">按期办结</span>`;
  }
  return html`<span class="small muted nowrap">截至 ${deadlineDay(row)}</span>`;
}

export function rowClass(row: CaseRow): string {
  return [
    row.overdue ? "overdue" : "",
    row.urgency === "emergency" && !FINAL_STATUSES.includes(row.status) ? "emergency" : "",
  ]
    .filter(Boolean)
    .join(" ");
}

function fieldValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "（空）";
  if (field === "category")
    return CATEGORY_SHORT[value as keyof typeof CATEGORY_SHORT] ?? String(value);
  if (field === "urgency") return URGENCY_SHORT[value as Urgency] ?? String(value);
  return String(value);
}

/** One audit entry in words: what changed, from what to what. */
export function describeAudit(entry: AuditEntry): string {
  const d = entry.detail;
  const label = ACTION_LABELS[entry.action] ?? entry.action;
  switch (entry.action) {
    case "edit": {
      const changes = (d.changes ?? {}) as Record<string, { from: unknown; to: unknown }>;
      return `${label}：${Object.entries(changes)
        .map(
          ([f, c]) => `${FIELD_LABELS[f] ?? f}“${fieldValue(f, c.from)}”→“${fieldValue(f, c.to)}”`,
        )
        .join("；")}`;
    }
    case "forward":
      return d.backend
        ? `${label}（转交系统：${String(d.backend)}）`
        : `${label}（未配置转交系统，线下转交）`;
    case "reject":
    case "close":
      return `${label}：${String(d.reason ?? d.outcome ?? "")}`;
    case "duplicate":
      return `${label}：与 ${String(d.of ?? "")} 重复`;
    case "assign":
      return `${label}：${fieldValue("assignee", d.from)} → ${fieldValue("assignee", d.to)}`;
    case "note":
      return label;
    case "login_failed":
      return `${label}${d.reason === "locked" ? "（已锁定）" : ""}`;
    case "user_created":
    case "user_disabled":
    case "user_enabled":
    case "password_changed":
      return `${label}：${String(d.username ?? "")}`;
    case "export":
      return `${label}：${String(d.what ?? "")}（${String(d.rows ?? 0)} 行）`;
    default:
      return label;
  }
}

export function auditList(entries: AuditEntry[], withCase: boolean): Html {
  if (entries.length === 0) return html`<p class="muted">暂无记录。</p>`;
  return html`<ul class="timeline">${entries.map(
    (e) =>
      html`<li><span class="muted small">${localDateTime(e.at)}</span> <strong>${e.actor}</strong> ${
        withCase && e.caseNumber ? html`<a href="/cases/${e.caseNumber}">${e.caseNumber}</a> ` : ""
      }${describeAudit(e)}</li>`,
  )}</ul>`;
}
