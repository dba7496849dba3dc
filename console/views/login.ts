import { html } from "../html.ts";
import { page } from "./layout.ts";

export function loginPage(input: {
  csrf: string;
  next: string;
  username?: string;
  error?: string;
  notice?: string;
}): string {
  return page(
    "登录",
    {},
    html`<div class="login panel">
      <h1>物业助手 · 工作人员后台</h1>
      ${input.error ? html`<div class="flash error" role="alert">${input.error}</div>` : ""}
      ${input.notice ? html`<div class="flash ok" role="status">${input.notice}</div>` : ""}
      <form method="post" action="/login">
        <input type="hidden" name="_csrf" value="${input.csrf}">
        <input type="hidden" name="next" value="${input.next}">
        <label>用户名<input name="username" autocomplete="username" required value="${input.username ?? ""}"></label>
        <label>密码<input name="password" type="password" autocomplete="current-password" required></label>
        <button type="submit">登录</button>
      </form>
      <p class="muted small">账号由管理员分配。忘记密码请联系管理员重置。</p>
    </div>`,
  );
}
