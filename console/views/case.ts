import type { OutboxEntry } from "../../adapters/cases/casebook.ts";
import { DISTRICTS, type FiledCase } from "../../bot/complaint.ts";
import type { ConsoleUser } from "../auth.ts";
import { type Html, html } from "../html.ts";
import { CATEGORY_SHORT, SOURCE_LABELS, STATUS_SHORT } from "../labels.ts";
import {
  type AuditEntry,
  type CaseRow,
  FINAL_STATUSES,
  type HistoryEntry,
  type NoteEntry,
  type Scope,
} from "../store.ts";
import { localDateTime } from "../time.ts";
import {
  auditList,
  CATEGORY_OPTIONS,
  deadlineCell,
  statusBadge,
  URGENCY_OPTIONS,
  urgencyBadge,
} from "./common.ts";
import { csrfField, type PageContext, page, select } from "./layout.ts";

export interface LegalBasis {
  key: string;
  citation: string;
  /** The article text, or null when the knowledge base no longer has it. */
  text: string | null;
}

export interface CaseInput {
  ctx: PageContext & { user: ConsoleUser; csrf: string };
  row: CaseRow;
  filed: FiledCase;
  scope: Scope;
  legal: LegalBasis[];
  history: HistoryEntry[];
  notes: NoteEntry[];
  audit: AuditEntry[];
  outbox: OutboxEntry[];
  assignable: ConsoleUser[];
  forwardBackend: string | undefined;
}

const OUTBOX_STATES: Record<string, string> = {
  pending: "等待发送",
  delivered: "已送达",
  failed: "发送失败",
};

const EVIDENCE_KINDS: Record<string, string> = {
  image: "图片",
  voice: "语音",
  video: "视频",
  file: "文件",
  sticker: "表情",
  link: "链接",
  other: "其他",
};

function contactOf(filed: FiledCase): Html | string {
  const c = filed.complaint;
  if (c.anonymous) return html`<span class="muted">匿名（居民要求不透露身份）</span>`;
  if (!c.contact) return html`<span class="muted">未留</span>`;
  return [c.contact.name, c.contact.phone].filter(Boolean).join("，");
}

function actions(input: CaseInput): Html {
  const { row, ctx } = input;
  const csrf = csrfField(ctx.csrf);
  const base = `/cases/${row.number}`;
  const open = !FINAL_STATUSES.includes(row.status);
  // Every district, so a reviewer can hand a misfiled case to the district it belongs to.
  const districts = DISTRICTS.map((d) => [d, d] as const);
  const edit = html`<details class="action" id="edit">
    <summary>修改信息</summary>
    <form method="post" action="${base}/edit">${csrf}
      <label>类别${select("category", CATEGORY_OPTIONS, row.category, { empty: "未分类" })}</label>
      <label>区县${select("district", districts, row.district, input.scope.all ? { empty: "未填写" } : {})}</label>
      <label>小区<input name="community" maxlength="64" value="${row.community ?? ""}"></label>
      <label>具体位置<input name="location" maxlength="120" value="${row.location ?? ""}"></label>
      <label>物业公司<input name="company" maxlength="80" value="${row.company ?? ""}"></label>
      <label>紧急程度${select("urgency", URGENCY_OPTIONS, row.urgency)}</label>
      <div><button type="submit">保存修改</button></div>
    </form>
  </details>`;
  const forward =
    row.status === "new"
      ? html`<details class="action" id="forward">
    <summary>审核通过并转交</summary>
    <form method="post" action="${base}/forward">${csrf}
      <p class="small">${
        input.forwardBackend
          ? html`将通过转交系统「${input.forwardBackend}」发送给主管部门，状态改为“已转交”，并通知居民。`
          : html`未配置转交系统（CONSOLE_FORWARD_BACKEND）：状态改为“已转交”并通知居民，案件需线下转交。`
      }</p>
      <label>给居民的说明（可不填）<input name="note" maxlength="200"></label>
      <div><button type="submit">审核通过并转交</button></div>
    </form>
  </details>`
      : "";
  const reject = open
    ? html`<details class="action" id="reject">
    <summary>不予受理</summary>
    <form method="post" action="${base}/reject">${csrf}
      <label>理由（会告知居民）<textarea name="reason" required maxlength="500"></textarea></label>
      <div><button type="submit" class="danger">不予受理</button></div>
    </form>
  </details>`
    : "";
  const duplicate = open
    ? html`<details class="action" id="duplicate">
    <summary>标记为重复投诉</summary>
    <form method="post" action="${base}/duplicate">${csrf}
      <label>与哪件投诉重复（编号）<input name="of" required placeholder="PDS-20261125-0001" pattern="PDS-\\d{8}-\\d{4,}"></label>
      <div><button type="submit">标记为重复</button></div>
    </form>
  </details>`
    : "";
  const assign = html`<details class="action" id="assign">
    <summary>指派经办人</summary>
    <form method="post" action="${base}/assign">${csrf}
      <label>经办人${select(
        "assignee",
        input.assignable.map(
          (u) =>
            [u.username, u.displayName ? `${u.displayName}（${u.username}）` : u.username] as const,
        ),
        row.assignee,
        { empty: "（不指派）" },
      )}</label>
      <div><button type="submit">指派</button></div>
    </form>
  </details>`;
  const note = html`<details class="action" id="note">
    <summary>添加内部备注</summary>
    <form method="post" action="${base}/note">${csrf}
      <label>备注（仅工作人员可见）<textarea name="text" required maxlength="2000"></textarea></label>
      <div><button type="submit">添加备注</button></div>
    </form>
  </details>`;
  const close = open
    ? html`<details class="action" id="close">
    <summary>办结</summary>
    <form method="post" action="${base}/close">${csrf}
      <label>处理结果（会告知居民，记入台账）<textarea name="outcome" required maxlength="1000"></textarea></label>
      <div><button type="submit">办结</button></div>
    </form>
  </details>`
    : "";
  return html`${forward}${edit}${assign}${note}${close}${reject}${duplicate}`;
}

export function casePage(input: CaseInput): string {
  const { row, filed } = input;
  const c = filed.complaint;
  return page(
    row.number,
    input.ctx,
    html`<p class="no-print"><a href="/cases">← 返回列表</a></p>
    <h1>投诉 ${row.number} ${statusBadge(row.status)} ${urgencyBadge(row.urgency)} ${
      row.overdue ? html`<span class="badge overdue">已超期</span>` : ""
    }</h1>
    <div class="grid2">
      <section class="panel">
        <h2>投诉信息</h2>
        <dl class="fields">
          <dt>类别</dt><dd data-field="category">${row.category ? CATEGORY_SHORT[row.category] : "未分类"}</dd>
          <dt>区县</dt><dd data-field="district">${row.district ?? "未填写"}</dd>
          <dt>小区</dt><dd data-field="community">${row.community ?? ""}</dd>
          <dt>具体位置</dt><dd>${row.location ?? ""}</dd>
          <dt>物业公司</dt><dd>${row.company ?? ""}</dd>
          <dt>发生时间</dt><dd>${c.occurredAt ?? ""}</dd>
          <dt>联系人</dt><dd data-field="contact">${contactOf(filed)}</dd>
          <dt>来源</dt><dd>${filed.origin.platform}${filed.origin.groupConversationId ? "（群聊转私聊）" : "（私聊）"}</dd>
          <dt>登记时间</dt><dd>${localDateTime(row.createdAt)}</dd>
          <dt>办结期限</dt><dd>${deadlineCell(row)}</dd>
          <dt>状态</dt><dd data-field="status">${STATUS_SHORT[row.status]}</dd>
          <dt>经办人</dt><dd data-field="assignee">${row.assignee ?? ""}</dd>
          ${row.duplicateOfNumber ? html`<dt>重复于</dt><dd><a href="/cases/${row.duplicateOfNumber}">${row.duplicateOfNumber}</a></dd>` : ""}
          ${row.outcome ? html`<dt>处理结果</dt><dd data-field="outcome">${row.outcome}</dd>` : ""}
          ${
            c.evidence.length > 0
              ? html`<dt>证据</dt><dd>${c.evidence.map(
                  (e) =>
                    html`<div class="small">${EVIDENCE_KINDS[e.kind] ?? e.kind} · ${localDateTime(e.at)}${e.ref ? html` · <code>${e.ref}</code>` : ""}</div>`,
                )}</dd>`
              : ""
          }
        </dl>
        <h2>情况描述</h2>
        <p class="description">${c.description}</p>
      </section>
      <section class="panel no-print">
        <h2>处理</h2>
        ${actions(input)}
      </section>
    </div>
    <section class="panel">
      <h2>法律依据</h2>
      ${
        input.legal.length === 0
          ? html`<p class="muted">机器人未给出法律依据。</p>`
          : input.legal.map(
              (l) => html`<div class="basis"><strong>${l.citation}</strong>
              ${l.text === null ? html`<p class="muted small">（知识库中已没有这一条：${l.key}）</p>` : html`<div class="law">${l.text}</div>`}</div>`,
            )
      }
    </section>
    <section class="panel">
      <h2>对话记录</h2>
      <ol class="transcript">${filed.transcript.map(
        (t) =>
          html`<li class="${t.role}"><span class="small muted">${t.role === "resident" ? "居民" : "机器人"} · ${localDateTime(t.at)}</span>\n${t.text}</li>`,
      )}</ol>
    </section>
    <div class="grid2">
      <section class="panel">
        <h2>处理经过</h2>
        <ul class="timeline history">${input.history.map(
          (h) =>
            html`<li><span class="muted small">${localDateTime(h.at)}</span> ${statusBadge(h.status)} ${SOURCE_LABELS[h.source] ?? h.source}（${h.actor}）${h.note ? html`：${h.note}` : ""}</li>`,
        )}</ul>
        ${
          input.outbox.length > 0
            ? html`<h2>转交记录</h2><ul class="timeline outbox">${input.outbox.map(
                (o) =>
                  html`<li>${o.backend}：${OUTBOX_STATES[o.state] ?? o.state}，尝试 ${o.attempts} 次${o.remoteId ? html`，对方编号 ${o.remoteId}` : ""}${o.lastError ? html`<br><span class="small muted">${o.lastError}</span>` : ""}</li>`,
              )}</ul>`
            : ""
        }
      </section>
      <section class="panel">
        <h2>内部备注</h2>
        ${
          input.notes.length === 0
            ? html`<p class="muted">暂无备注。</p>`
            : html`<ul class="timeline notes">${input.notes.map(
                (n) =>
                  html`<li><span class="muted small">${localDateTime(n.at)} ${n.author}</span><br>${n.text}</li>`,
              )}</ul>`
        }
        <h2>操作记录</h2>
        ${auditList(input.audit, false)}
      </section>
    </div>`,
  );
}
