import type { ConsoleUser } from "../auth.ts";
import { ROLE_LABELS } from "../auth.ts";
import { type Html, html } from "../html.ts";

export interface PageContext {
  user?: ConsoleUser;
  csrf?: string;
  flash?: { kind: "ok" | "error"; text: string } | undefined;
  /** Which nav entry to highlight. */
  active?: string;
}

const NAV: { key: string; href: string; label: string; admin?: boolean }[] = [
  { key: "cases", href: "/cases", label: "投诉列表" },
  { key: "ledger", href: "/ledger", label: "问题台账" },
  { key: "week", href: "/summary/week", label: "周汇总" },
  { key: "month", href: "/summary/month", label: "月调度" },
  { key: "users", href: "/users", label: "账号管理", admin: true },
  { key: "audit", href: "/audit", label: "操作记录", admin: true },
  { key: "account", href: "/account", label: "我的账号" },
];

export function csrfField(token: string | undefined): Html {
  return html`<input type="hidden" name="_csrf" value="${token ?? ""}">`;
}

export function page(title: string, ctx: PageContext, body: Html): string {
  const user = ctx.user;
  const header = user
    ? html`<header class="top">
        <span class="brand">物业助手 · 工作人员后台</span>
        <nav>${NAV.filter((n) => !n.admin || user.role === "admin").map(
          (n) =>
            html`<a href="${n.href}" class="${n.key === ctx.active ? "active" : ""}">${n.label}</a>`,
        )}</nav>
        <span class="who">${user.displayName ?? user.username}（${ROLE_LABELS[user.role]}${
          user.role === "reviewer" ? html`：${user.districts.join("、")}` : ""
        }）
          <form method="post" action="/logout">${csrfField(ctx.csrf)}<button type="submit">退出</button></form>
        </span>
      </header>`
    : "";
  const flash = ctx.flash
    ? html`<div class="flash ${ctx.flash.kind}" role="status">${ctx.flash.text}</div>`
    : "";
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} - 物业助手工作人员后台</title>
<link rel="stylesheet" href="/static/console.css">
</head>
<body>
${header}
<main>
${flash}
${body}
</main>
</body>
</html>`.value;
}

export function select(
  name: string,
  options: readonly (readonly [string, string])[],
  selected: string | null | undefined,
  extra: { empty?: string; required?: boolean; id?: string } = {},
): Html {
  return html`<select name="${name}" ${extra.id ? html`id="${extra.id}"` : ""} ${extra.required ? "required" : ""}>
    ${extra.empty !== undefined ? html`<option value="">${extra.empty}</option>` : ""}
    ${options.map(
      ([value, label]) =>
        html`<option value="${value}" ${value === (selected ?? "") ? "selected" : ""}>${label}</option>`,
    )}
  </select>`;
}
