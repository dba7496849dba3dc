import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
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
import {
  type ConversationState,
  type ConversationStore,
  readStoredState,
} from "../../bot/conversation-state.ts";
import { migrate } from "./casebook-schema.ts";

export interface OutboxEntry {
  id: number;
  caseId: string;
  backend: string;
  idempotencyKey: string;
  state: "pending" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  remoteId: string | null;
  token: string | null;
  createdAt: string;
}

export interface Notification {
  id: number;
  caseId: string;
  platform: string;
  conversationId: string;
  text: string;
}

export interface StatusChange {
  status: CaseStatus;
  note?: string;
  actor: string;
  source: "staff" | "backend" | "bot";
  /** A backend's update id; the same update is applied once however often it is fetched. */
  remoteUpdateId?: string;
  /** Tell the resident (default true). */
  notify?: boolean;
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
    path: string,
    /** Backends every filed case is queued for (e.g. ["open311"]). */
    private readonly backends: string[] = [],
    private readonly now: () => Date = () => new Date(),
  ) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    migrate(this.db);
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

  file(input: {
    complaint: Complaint;
    origin: CaseOrigin;
    transcript: TranscriptLine[];
  }): FiledCase {
    const at = this.now();
    const iso = at.toISOString();
    const id = randomUUID();
    const c = input.complaint;
    return this.db.transaction((): FiledCase => {
      const number = this.nextNumber(at);
      this.db
        .prepare(
          `INSERT INTO cases (id, number, category, district, community, urgency, anonymous, legal_basis,
            description, location, company, occurred_at, contact_name, contact_phone, status,
            origin_platform, origin_private_conversation, origin_sender, origin_group, created_at, updated_at)
           VALUES (@id, @number, @category, @district, @community, @urgency, @anonymous, @legal_basis,
            @description, @location, @company, @occurred_at, @contact_name, @contact_phone, 'new',
            @platform, @private_conversation, @sender, @group, @at, @at)`,
        )
        .run({
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
    })();
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
      .all(id) as {
      kind: Complaint["evidence"][number]["kind"];
      ref: string | null;
      at: string;
    }[];
    const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
    const name = str(row.contact_name);
    const phone = str(row.contact_phone);
    return {
      id,
      number: String(row.number),
      status: row.status as CaseStatus,
      createdAt: String(row.created_at),
      complaint: {
        category: str(row.category) as Complaint["category"],
        district: str(row.district) as Complaint["district"],
        community: str(row.community),
        urgency: row.urgency as Complaint["urgency"],
        anonymous: row.anonymous === 1,
        legal_basis: JSON.parse(String(row.legal_basis)) as string[],
        description: String(row.description),
        location: str(row.location),
        company: str(row.company),
        occurredAt: str(row.occurred_at),
        contact: name || phone ? { name, phone } : null,
        evidence: evidence.map((e) => ({
          kind: e.kind,
          ...(e.ref ? { ref: e.ref } : {}),
          at: e.at,
        })),
      },
      origin: {
        platform: String(row.origin_platform),
        privateConversationId: String(row.origin_private_conversation),
        senderId: String(row.origin_sender),
        ...(row.origin_group ? { groupConversationId: String(row.origin_group) } : {}),
      },
      transcript,
    };
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
   * Pending entries whose time has come, oldest first. `asOf` lets a worker with its own clock
   * decide what is due; `afterId` pages on, so one pass sees an entry retried at once only once.
   */
  dueDeliveries(limit = 20, options: { asOf?: Date; afterId?: number } = {}): OutboxEntry[] {
    const rows = this.db
      .prepare(
        "SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? AND id > ? ORDER BY id LIMIT ?",
      )
      .all((options.asOf ?? this.now()).toISOString(), options.afterId ?? 0, limit) as Row[];
    return rows.map(toOutbox);
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

  markDelivered(id: number, result: { remoteId?: string; token?: string }): void {
    const iso = this.now().toISOString();
    this.db
      .prepare(
        "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, remote_id = COALESCE(?, remote_id), token = COALESCE(?, token), last_error = NULL, updated_at = ? WHERE id = ?",
      )
      .run(result.remoteId ?? null, result.token ?? null, iso, id);
  }

  setRemoteId(id: number, remoteId: string): void {
    this.db
      .prepare("UPDATE outbox SET remote_id = ?, updated_at = ? WHERE id = ?")
      .run(remoteId, this.now().toISOString(), id);
  }

  // A late failure report must not undo a delivery another worker already recorded.
  markRetry(id: number, reason: string, nextAttemptAt: Date): void {
    this.db
      .prepare(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = 'pending'",
      )
      .run(reason, nextAttemptAt.toISOString(), this.now().toISOString(), id);
  }

  markFailed(id: number, reason: string): void {
    this.db
      .prepare(
        "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, updated_at = ? WHERE id = ? AND state = 'pending'",
      )
      .run(reason, this.now().toISOString(), id);
  }

  /** Moves a pending entry's first attempt later without counting an attempt. */
  deferDelivery(id: number, until: Date): void {
    this.db
      .prepare(
        "UPDATE outbox SET next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = 'pending'",
      )
      .run(until.toISOString(), this.now().toISOString(), id);
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
    const db = this.db;
    return {
      async get(key: string): Promise<ConversationState | undefined> {
        const row = db.prepare("SELECT state FROM conversations WHERE key = ?").get(key) as
          | { state: string }
          | undefined;
        return row ? readStoredState(JSON.parse(row.state)) : undefined;
      },
      async set(key: string, state: ConversationState): Promise<void> {
        db.prepare(
          "INSERT INTO conversations (key, state, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        ).run(key, JSON.stringify(state), state.updatedAt);
      },
      async delete(key: string): Promise<void> {
        db.prepare("DELETE FROM conversations WHERE key = ?").run(key);
      },
    };
  }

  // --- processed messages (channel deduplication) --------------------------

  /** True the first time a platform message id is seen; false for a repeat. */
  firstSeen(platform: string, messageId: string): boolean {
    const r = this.db
      .prepare(
        "INSERT INTO processed_messages (platform, message_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      )
      .run(platform, messageId, Date.now());
    return r.changes === 1;
  }
}

function toOutbox(r: Row): OutboxEntry {
  return {
    id: Number(r.id),
    caseId: String(r.case_id),
    backend: String(r.backend),
    idempotencyKey: String(r.idempotency_key),
    state: r.state as OutboxEntry["state"],
    attempts: Number(r.attempts),
    nextAttemptAt: String(r.next_attempt_at),
    lastError: r.last_error === null ? null : String(r.last_error),
    remoteId: r.remote_id === null ? null : String(r.remote_id),
    token: r.token === null ? null : String(r.token),
    createdAt: String(r.created_at),
  };
}
