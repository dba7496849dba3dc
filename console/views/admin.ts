import { DISTRICTS } from "../../bot/complaint.ts";
import { type ConsoleUser, MIN_PASSWORD_LENGTH, ROLE_LABELS } from "../auth.ts";
import { html } from "../html.ts";
import type { AuditEntry } from "../store.ts";
import { localDateTime } from "../time.ts";
import { auditList } from "./common.ts";
import { csrfField, type PageContext, page } from "./layout.ts";

export function usersPage(ctx: PageContext & { csrf: string }, users: ConsoleUser[]): string {
  const csrf = csrfField(ctx.csrf);
  return page(
    "账号管理",
    { ...ctx, active: "users" },
    html`<h1>账号管理</h1>
    <div class="table-wrap"><table class="cards-on-phone">
      <thead><tr><th>用户名</th><th>姓名</th><th>角色</th><th>负责区县</th><th>状态</th><th>创建时间</th><th>操作</th></tr></thead>
      <tbody>${users.map(
        (u) => html`<tr>
          <td data-label="用户名">${u.username}</td>
          <td data-label="姓名">${u.displayName ?? ""}</td>
          <td data-label="角色">${ROLE_LABELS[u.role]}</td>
          <td data-label="负责区县">${u.role === "admin" ? "全部" : u.districts.join("、")}</td>
          <td data-label="状态">${u.disabled ? "已停用" : "正常"}</td>
          <td data-label="创建时间">${localDateTime(u.createdAt)}</td>
          <td data-label="操作">${
            u.id === ctx.user?.id
              ? html`<span class="muted small">当前账号</span>`
              : html`<div class="actions-row">
            <form method="post" action="/users/${u.id}/${u.disabled ? "enable" : "disable"}">${csrf}<button type="submit" class="secondary">${u.disabled ? "启用" : "停用"}</button></form>
            <form method="post" action="/users/${u.id}/password" class="actions-row">${csrf}<input type="password" name="password" autocomplete="new-password" placeholder="新密码" minlength="${MIN_PASSWORD_LENGTH}" required><button type="submit" class="secondary">重置密码</button></form>
          </div>`
          }</td>
        </tr>`,
      )}</tbody>
    </table></div>
    <section class="panel">
      <h2>新建账号</h2>
      <form method="post" action="/users" class="filters">${csrf}
        <label>用户名<input name="username" required></label>
        <label>姓名<input name="display_name" maxlength="40"></label>
        <label>角色<select name="role"><option value="reviewer">审核员</option><option value="admin">管理员</option></select></label>
        <label>初始密码（至少 ${MIN_PASSWORD_LENGTH} 位）<input name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}"></label>
        <fieldset><legend class="small muted">负责区县（审核员）</legend>${DISTRICTS.map(
          (d) =>
            html`<label class="check"><input type="checkbox" name="districts" value="${d}"> ${d}</label>`,
        )}</fieldset>
        <div><button type="submit">新建</button></div>
      </form>
    </section>`,
  );
}

export function accountPage(ctx: PageContext & { user: ConsoleUser; csrf: string }): string {
  return page(
    "我的账号",
    { ...ctx, active: "account" },
    html`<h1>我的账号</h1>
    <section class="panel">
      <p>用户名：${ctx.user.username}　角色：${ROLE_LABELS[ctx.user.role]}${
        ctx.user.role === "reviewer" ? html`　负责区县：${ctx.user.districts.join("、")}` : ""
      }</p>
      <h2>修改密码</h2>
      <form method="post" action="/account/password" class="filters">${csrfField(ctx.csrf)}
        <label>当前密码<input type="password" name="current" autocomplete="current-password" required></label>
        <label>新密码（至少 ${MIN_PASSWORD_LENGTH} 位）<input type="password" name="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}"></label>
        <label>再输一次<input type="password" name="repeat" autocomplete="new-password" required></label>
        <div><button type="submit">修改密码</button></div>
      </form>
      <p class="small muted">修改后需要重新登录。</p>
    </section>`,
  );
}

export function auditPage(
  ctx: PageContext,
  entries: AuditEntry[],
  pageNo: number,
  more: boolean,
): string {
  return page(
    "操作记录",
    { ...ctx, active: "audit" },
    html`<h1>操作记录</h1>
    <section class="panel">${auditList(entries, true)}</section>
    <div class="pager">
      ${pageNo > 1 ? html`<a href="/audit?page=${pageNo - 1}">较新</a>` : ""}
      ${more ? html`<a href="/audit?page=${pageNo + 1}">较早</a>` : ""}
    </div>`,
  );
}

export function errorPage(ctx: PageContext, title: string, message: string): string {
  return page(
    title,
    ctx,
    html`<h1>${title}</h1><div class="panel"><p>${message}</p><p><a href="/cases">返回投诉列表</a></p></div>`,
  );
}
