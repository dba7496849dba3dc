import { randomUUID } from "node:crypto";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import {
  type CaseOrigin,
  type CaseStatus,
  type Complaint,
  type FiledCase,
  STATUS_LABELS,
  type TranscriptLine,
} from "../../bot/complaint.ts";
import type { ComplaintDesk } from "../../bot/complaint-desk.ts";
import type { ConversationState, ConversationStore } from "../../bot/conversation-state.ts";
import type { Reply } from "../../bot/message.ts";
import { filedCaseFromRows, toOutbox } from "./case-rows.ts";
import {
  CONVERSATION_SCHEMA_VERSION,
  ConversationConflictError,
  type MessageCommit,
  type Notification,
  type OutboxEntry,
  readConversation,
  type StatusChange,
  type StoredConversation,
} from "./case-store.ts";
import { migrate } from "./casebook-schema.ts";
import { SqliteCaseStore } from "./sqlite-store.ts";

export type { Notification, OutboxEntry, StatusChange };

/**
 * The data folder is private to the service account and the casebook file (with its WAL and
 * SHM, which SQLite creates with the database file's mode) readable by it alone, whatever the
 * umask: they hold names, phone numbers, transcripts and password hashes.
 */
export function securePaths(path: string, options: { folder: boolean }): void {
  const dir = dirname(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (options.folder) chmodSync(dir, 0o700);
  if (!existsSync(path)) closeSync(openSync(path, "a", 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}

type Row = Record<string, unknown>;

/**
 * The embedded default case backend: a SQLite file holding cases, their
 * conversation, status history, evidence references and a delivery outbox.
 * Filing writes the case and its outbox entries in one transaction, so a
 * crash can lose neither. Also the persistent conversation store, so a
 * half-told complaint survives a restart.
 */
export class Casebook implements ComplaintDesk {
  readonly db: Database.Database;

  constructor(
    readonly path: string,
    /** Backends every filed case is queued for (e.g. ["open311"]). */
    readonly backends: string[] = [],
    private readonly now: () => Date = () => new Date(),
    options: {
      /**
       * How long one statement may wait for a lock held by another process. It waits inside
       * SQLite, blocking the event loop, so the async store keeps it short and retries itself.
       */
      busyTimeoutMs?: number;
      /** Also make the file's folder private (the data folder; not a shared folder such as /tmp). */
      privateFolder?: boolean;
    } = {},
  ) {
    if (path !== ":memory:") securePaths(path, { folder: options.privateFolder ?? false });
    this.db = new Database(path);
    // Opening waits for other processes (one may be migrating the same new file) …
    this.db.pragma("busy_timeout = 10000");
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
    migrate(this.db);
    // … serving does not (see busyTimeoutMs).
    this.db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    if (path !== ":memory:") securePaths(path, { folder: false });
  }

  private storeView: SqliteCaseStore | undefined;

  /** The async CaseStore over this file (what the channels, the API and the worker use). */
  get store(): SqliteCaseStore {
    this.storeView ??= new SqliteCaseStore(this);
    return this.storeView;
  }

  close(): void {
    this.db.close();
  }

  /** Runs `fn` in one transaction (a savepoint when nested), so a crash keeps all of it or none. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  private nextNumber(at: Date): string {
    const day = at.toISOString().slice(0, 10).replace(/-/g, "");
    const row = this.db
      .prepare(
        "INSERT INTO case_numbers(day, last) VALUES (?, 1) ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last",
      )
      .get(day) as { last: number };
    return `PDS-${day}-${String(row.last).padStart(4, "0")}`;
  }

  file(
    input: {
      complaint: Complaint;
      origin: CaseOrigin;
      transcript: TranscriptLine[];
    },
    options: { sourceKey?: string; expect?: Map<string, number> } = {},
  ): FiledCase {
    const at = this.now();
    const iso = at.toISOString();
    const id = randomUUID();
    const c = input.complaint;
    return this.db
      .transaction((): FiledCase => {
        if (options.sourceKey) {
          const existing = this.db
            .prepare("SELECT id FROM cases WHERE source_key = ?")
            .get(options.sourceKey) as { id: string } | undefined;
          if (existing) return this.get(existing.id) as FiledCase;
        }
        if (options.expect) this.checkVersions(options.expect);
        const number = this.nextNumber(at);
        this.db
          .prepare(
            `INSERT INTO cases (id, number, category, district, community, urgency, anonymous, legal_basis,
            description, location, company, occurred_at, contact_name, contact_phone, status,
            origin_platform, origin_private_conversation, origin_sender, origin_group, created_at, updated_at,
            source_key)
           VALUES (@id, @number, @category, @district, @community, @urgency, @anonymous, @legal_basis,
            @description, @location, @company, @occurred_at, @contact_name, @contact_phone, 'new',
            @platform, @private_conversation, @sender, @group, @at, @at, @source_key)`,
          )
          .run({
            source_key: options.sourceKey ?? null,
            id,
            number,
            category: c.category,
            district: c.district,
            community: c.community,
            urgency: c.urgency,
            anonymous: c.anonymous ? 1 : 0,
            legal_basis: JSON.stringify(c.legal_basis),
            description: c.description,
            location: c.location,
            company: c.company,
            occurred_at: c.occurredAt,
            contact_name: c.anonymous ? null : (c.contact?.name ?? null),
            contact_phone: c.anonymous ? null : (c.contact?.phone ?? null),
            platform: input.origin.platform,
            private_conversation: input.origin.privateConversationId,
            sender: input.origin.senderId,
            group: input.origin.groupConversationId ?? null,
            at: iso,
          });
        const line = this.db.prepare(
          "INSERT INTO transcripts (case_id, seq, role, text, at) VALUES (?, ?, ?, ?, ?)",
        );
        input.transcript.forEach((t, i) => {
          line.run(id, i, t.role, t.text, t.at);
        });
        const evidence = this.db.prepare(
          "INSERT INTO attachments (case_id, kind, ref, at) VALUES (?, ?, ?, ?)",
        );
        for (const e of c.evidence) evidence.run(id, e.kind, e.ref ?? null, e.at);
        this.db
          .prepare(
            "INSERT INTO status_history (case_id, status, note, actor, source, at) VALUES (?, 'new', ?, 'bot', 'bot', ?)",
          )
          .run(id, "居民通过机器人提交", iso);
        const outbox = this.db.prepare(
          `INSERT INTO outbox (case_id, backend, idempotency_key, state, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, 'pending', ?, ?, ?)`,
        );
        for (const backend of this.backends)
          outbox.run(id, backend, `${id}:${backend}`, iso, iso, iso);
        return this.get(id) as FiledCase;
      })
      .immediate();
  }

  /** A filed case with its conversation, as the adapters send it. */
  get(id: string): FiledCase | undefined {
    const row = this.db.prepare("SELECT * FROM cases WHERE id = ?").get(id) as Row | undefined;
    return row ? this.toFiled(row) : undefined;
  }

  byNumber(number: string): FiledCase | undefined {
    const row = this.db.prepare("SELECT * FROM cases WHERE number = ?").get(number) as
      | Row
      | undefined;
    return row ? this.toFiled(row) : undefined;
  }

  private toFiled(row: Row): FiledCase {
    const id = String(row.id);
    const transcript = this.db
      .prepare("SELECT role, text, at FROM transcripts WHERE case_id = ? ORDER BY seq")
      .all(id) as TranscriptLine[];
    const evidence = this.db
      .prepare("SELECT kind, ref, at FROM attachments WHERE case_id = ? ORDER BY id")
      .all(id) as Row[];
    return filedCaseFromRows(row, evidence, transcript);
  }

  statusOf(number: string, origin: Pick<CaseOrigin, "platform" | "senderId">) {
    const row = this.db
      .prepare(
        "SELECT status, updated_at FROM cases WHERE number = ? AND origin_platform = ? AND origin_sender = ?",
      )
      .get(number, origin.platform, origin.senderId) as
      | { status: CaseStatus; updated_at: string }
      | undefined;
    return row ? { status: row.status, updatedAt: row.updated_at } : undefined;
  }

  casesOf(origin: Pick<CaseOrigin, "platform" | "senderId">) {
    const rows = this.db
      .prepare(
        "SELECT number, status, updated_at FROM cases WHERE origin_platform = ? AND origin_sender = ? ORDER BY created_at DESC, number DESC",
      )
      .all(origin.platform, origin.senderId) as {
      number: string;
      status: CaseStatus;
      updated_at: string;
    }[];
    return rows.map((r) => ({ number: r.number, status: r.status, updatedAt: r.updated_at }));
  }

  /**
   * Records a status change and queues one plain sentence for the resident.
   * Returns false when the change was already applied (a repeated backend update).
   */
  changeStatus(caseId: string, change: StatusChange): boolean {
    const iso = this.now().toISOString();
    return this.db.transaction(() => {
      const row = this.db.prepare("SELECT * FROM cases WHERE id = ?").get(caseId) as
        | Row
        | undefined;
      if (!row) throw new Error(`no case ${caseId}`);
      const inserted = this.db
        .prepare(
          `INSERT INTO status_history (case_id, status, note, actor, source, remote_update_id, at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(remote_update_id) DO NOTHING`,
        )
        .run(
          caseId,
          change.status,
          change.note ?? null,
          change.actor,
          change.source,
          change.remoteUpdateId ?? null,
          iso,
        );
      if (inserted.changes === 0) return false;
      this.db
        .prepare("UPDATE cases SET status = ?, updated_at = ? WHERE id = ?")
        .run(change.status, iso, caseId);
      if (change.notify !== false) {
        const note = change.note ? `说明：${change.note}` : "";
        const text = `您的投诉（编号 ${row.number}）有新进展：${STATUS_LABELS[change.status]}。${note}`;
        this.db
          .prepare(
            "INSERT INTO notifications (case_id, platform, conversation_id, text, state, created_at) VALUES (?, ?, ?, ?, 'pending', ?)",
          )
          .run(caseId, row.origin_platform, row.origin_private_conversation, text, iso);
      }
      return true;
    })();
  }

  pendingNotifications(platform?: string): Notification[] {
    const rows = this.db
      .prepare(
        `SELECT id, case_id, platform, conversation_id, text FROM notifications
         WHERE state = 'pending' AND (? IS NULL OR platform = ?) ORDER BY id`,
      )
      .all(platform ?? null, platform ?? null) as Row[];
    return rows.map((r) => ({
      id: Number(r.id),
      caseId: String(r.case_id),
      platform: String(r.platform),
      conversationId: String(r.conversation_id),
      text: String(r.text),
    }));
  }

  markNotified(id: number): void {
    this.db
      .prepare("UPDATE notifications SET state = 'sent', sent_at = ? WHERE id = ?")
      .run(this.now().toISOString(), id);
  }

  // --- outbox -------------------------------------------------------------

  /**
   * Claims due pending entries for one worker until the lease ends. The claim is one UPDATE,
   * and SQLite runs one writer at a time, so two workers (in one process or many) never get
   * the same entry while its lease lasts; a dead claimer's lease simply runs out.
   */
  claimDeliveries(owner: string, limit: number, leaseMs: number, asOf: Date): OutboxEntry[] {
    const nowIso = asOf.toISOString();
    const until = new Date(Date.now() + leaseMs).toISOString();
    const rows = this.db
      .prepare(
        `UPDATE outbox SET lease_owner = ?, lease_until = ?, claims = claims + 1
         WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?
           AND (lease_until IS NULL OR lease_until < ?) ORDER BY id LIMIT ?)
         RETURNING *`,
      )
      .all(owner, until, nowIso, new Date().toISOString(), limit) as Row[];
    return rows.map(toOutbox).sort((a, b) => a.id - b.id);
  }

  outboxFor(caseId: string): OutboxEntry[] {
    return (
      this.db.prepare("SELECT * FROM outbox WHERE case_id = ? ORDER BY id").all(caseId) as Row[]
    ).map(toOutbox);
  }

  /** Delivered entries still waiting for the backend to turn a token into an id. */
  awaitingToken(): OutboxEntry[] {
    return (
      this.db
        .prepare(
          "SELECT * FROM outbox WHERE state = 'delivered' AND token IS NOT NULL AND remote_id IS NULL",
        )
        .all() as Row[]
    ).map(toOutbox);
  }

  caseIdByRemoteId(backend: string, remoteId: string): string | undefined {
    const row = this.db
      .prepare("SELECT case_id FROM outbox WHERE backend = ? AND remote_id = ?")
      .get(backend, remoteId) as { case_id: string } | undefined;
    return row?.case_id;
  }

  /** Records a delivery while `owner` holds the lease, and moves a new case to forwarded. */
  markDelivered(id: number, owner: string, result: { remoteId?: string; token?: string }): boolean {
    const iso = this.now().toISOString();
    return this.db
      .transaction(() => {
        const r = this.db
          .prepare(
            `UPDATE outbox SET state = 'delivered', attempts = attempts + 1, remote_id = COALESCE(?, remote_id),
            token = COALESCE(?, token), last_error = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ?
           WHERE id = ? AND state = 'pending' AND lease_owner = ? RETURNING case_id, backend`,
          )
          .get(result.remoteId ?? null, result.token ?? null, iso, id, owner) as
          | { case_id: string; backend: string }
          | undefined;
        if (!r) return false;
        this.markForwardedIfNew(r.case_id, r.backend);
        return true;
      })
      .immediate();
  }

  /** Only the first backend to accept a case moves it on, and the resident hears "forwarded" once. */
  markForwardedIfNew(caseId: string, backend: string): void {
    const row = this.db.prepare("SELECT status FROM cases WHERE id = ?").get(caseId) as
      | { status: string }
      | undefined;
    if (row?.status === "new") {
      this.changeStatus(caseId, { status: "forwarded", actor: backend, source: "backend" });
    }
  }

  setRemoteId(id: number, remoteId: string): void {
    this.db
      .prepare("UPDATE outbox SET remote_id = ?, updated_at = ? WHERE id = ?")
      .run(remoteId, this.now().toISOString(), id);
  }

  markRetry(id: number, owner: string, reason: string, nextAttemptAt: Date): boolean {
    return (
      this.db
        .prepare(
          `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, updated_at = ?,
            lease_owner = NULL, lease_until = NULL
           WHERE id = ? AND state = 'pending' AND lease_owner = ?`,
        )
        .run(reason, nextAttemptAt.toISOString(), this.now().toISOString(), id, owner).changes === 1
    );
  }

  markFailed(id: number, owner: string, reason: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, updated_at = ?,
            lease_owner = NULL, lease_until = NULL
           WHERE id = ? AND state = 'pending' AND lease_owner = ?`,
        )
        .run(reason, this.now().toISOString(), id, owner).changes === 1
    );
  }

  /** Moves a pending entry's first attempt later without counting an attempt. */
  deferDelivery(id: number, owner: string, until: Date): void {
    this.db
      .prepare(
        `UPDATE outbox SET next_attempt_at = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL,
          claims = claims - 1
         WHERE id = ? AND state = 'pending' AND lease_owner = ?`,
      )
      .run(until.toISOString(), this.now().toISOString(), id, owner);
  }

  releaseClaim(id: number, owner: string): void {
    this.db
      .prepare(
        "UPDATE outbox SET lease_owner = NULL, lease_until = NULL, claims = claims - 1 WHERE id = ? AND lease_owner = ?",
      )
      .run(id, owner);
  }

  /** Queues an existing case for a backend (staff "approve and forward"). */
  enqueue(caseId: string, backend: string): OutboxEntry {
    const iso = this.now().toISOString();
    this.db
      .prepare(
        `INSERT INTO outbox (case_id, backend, idempotency_key, state, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT(idempotency_key) DO NOTHING`,
      )
      .run(caseId, backend, `${caseId}:${backend}`, iso, iso, iso);
    return this.outboxFor(caseId).find((e) => e.backend === backend) as OutboxEntry;
  }

  /** Conversation state kept in the same file, so a half-told complaint survives a restart. */
  conversations(): ConversationStore {
    return {
      get: async (key) => this.loadConversation(key).state,
      set: async (key, state) => this.saveConversation(key, state),
      delete: async (key) => this.saveConversation(key, null),
    };
  }

  loadConversation(key: string): StoredConversation {
    const row = this.db
      .prepare("SELECT state, version, schema_version FROM conversations WHERE key = ?")
      .get(key) as { state: string; version: number; schema_version: number } | undefined;
    if (!row) return { state: undefined, version: 0 };
    return { state: readConversation(row.state, row.schema_version), version: row.version };
  }

  saveConversation(key: string, state: ConversationState | null): void {
    if (state === null) {
      this.db.prepare("DELETE FROM conversations WHERE key = ?").run(key);
      return;
    }
    this.db
      .prepare(
        `INSERT INTO conversations (key, state, updated_at, version, schema_version, has_intake)
         VALUES (?, ?, ?, 1, ?, ?)
         ON CONFLICT(key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at,
           version = conversations.version + 1, schema_version = excluded.schema_version,
           has_intake = excluded.has_intake`,
      )
      .run(
        key,
        JSON.stringify(state),
        state.updatedAt,
        CONVERSATION_SCHEMA_VERSION,
        state.intake ? 1 : 0,
      );
  }

  private checkVersions(expect: Map<string, number>): void {
    const get = this.db.prepare("SELECT version FROM conversations WHERE key = ?");
    for (const [key, version] of expect) {
      const row = get.get(key) as { version: number } | undefined;
      if ((row?.version ?? 0) !== version) throw new ConversationConflictError();
    }
  }

  handledReply(platform: string, senderId: string, messageId: string): Reply | undefined {
    const row = this.db
      .prepare(
        "SELECT reply FROM handled_messages WHERE platform = ? AND sender = ? AND message_id = ?",
      )
      .get(platform, senderId, messageId) as { reply: string } | undefined;
    return row ? (JSON.parse(row.reply) as Reply) : undefined;
  }

  /** The message id, its reply and the conversation rows it changed, all or nothing. */
  commitMessage(commit: MessageCommit): void {
    this.db
      .transaction(() => {
        this.checkVersions(commit.reads);
        for (const [key, state] of commit.writes) this.saveConversation(key, state);
        const m = commit.message;
        if (m) {
          const r = this.db
            .prepare(
              "INSERT INTO handled_messages (platform, sender, message_id, reply, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            )
            .run(m.platform, m.senderId, m.messageId, JSON.stringify(m.reply), Date.now());
          if (r.changes === 0) throw new ConversationConflictError();
        }
      })
      .immediate();
  }

  prune(now: Date, idleMs: number, intakeMs: number, messagesMs: number): number {
    const t = now.getTime();
    return this.db
      .transaction(() => {
        const a = this.db
          .prepare(
            "DELETE FROM conversations WHERE (has_intake = 0 AND updated_at < ?) OR updated_at < ?",
          )
          .run(t - idleMs, t - intakeMs).changes;
        const b = this.db
          .prepare("DELETE FROM handled_messages WHERE at < ?")
          .run(t - messagesMs).changes;
        return a + b;
      })
      .immediate();
  }
}
