import { randomUUID } from "node:crypto";
import pg from "pg";
import {
  type CaseOrigin,
  type CaseStatus,
  type FiledCase,
  STATUS_LABELS,
  type TranscriptLine,
} from "../../bot/complaint.ts";
import type { ConversationState } from "../../bot/conversation-state.ts";
import type { Reply } from "../../bot/message.ts";
import { filedCaseFromRows, toOutbox } from "./case-rows.ts";
import {
  type CaseStore,
  CONVERSATION_SCHEMA_VERSION,
  ConversationConflictError,
  type FileInput,
  IDLE_CONVERSATION_MS,
  IDLE_INTAKE_MS,
  type MessageCommit,
  type Notification,
  type OutboxEntry,
  readConversation,
  type StatusChange,
  StoreBusyError,
  type StoredConversation,
} from "./case-store.ts";
import { migratePg } from "./pg-schema.ts";
import { HANDLED_MESSAGES_KEPT_MS } from "./sqlite-store.ts";

type Row = Record<string, unknown>;
type Db = pg.Pool | pg.PoolClient;

// BIGINT columns come back as strings by default; these ids and times fit a double.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/** Errors that mean "busy or unreachable now, try again shortly" rather than a bug. */
function isBusy(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === "string" ? e.code : "";
  const message = typeof e?.message === "string" ? e.message : "";
  return (
    code === "55P03" || // lock_not_available (lock_timeout)
    code === "57014" || // query_canceled (statement_timeout)
    code === "55000" || // database not accepting connections
    code.startsWith("08") || // connection exceptions
    code.startsWith("53") || // insufficient resources (too many connections)
    code.startsWith("57P") || // server shutting down, restarting, terminated our backend
    code === "ECONNREFUSED" ||
    code === "ECONNRESET" ||
    code === "ENOENT" ||
    /timeout exceeded when trying to connect|Connection terminated/i.test(message)
  );
}

function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === "23505" && (constraint === undefined || e.constraint === constraint);
}

export interface PgCaseTransaction {
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  changeStatus(caseId: string, change: StatusChange): Promise<boolean>;
  enqueue(caseId: string, backend: string): Promise<void>;
}

export interface PgStoreOptions {
  /** Connections per process (default 20). */
  poolSize?: number;
  /** How long a statement waits for a row lock before the request gets 503 (default 500 ms). */
  lockTimeoutMs?: number;
  /** How long a request waits for a free connection (default 2000 ms). */
  connectTimeoutMs?: number;
  now?: () => Date;
}

/**
 * The CaseStore on PostgreSQL, for several bot processes (and machines) on one casebook.
 * Outbox entries are claimed with FOR UPDATE SKIP LOCKED and a lease; conversation commits
 * lock the rows they read (FOR UPDATE) and check their versions; lock waits are bounded by
 * lock_timeout so a held lock makes one request fail fast instead of freezing the rest.
 */
export class PgCaseStore implements CaseStore {
  readonly kind = "postgres" as const;
  private readonly now: () => Date;

  private constructor(
    readonly pool: pg.Pool,
    readonly backends: readonly string[],
    now?: () => Date,
  ) {
    this.now = now ?? (() => new Date());
  }

  static async open(
    connectionString: string,
    backends: readonly string[] = [],
    options: PgStoreOptions = {},
  ): Promise<PgCaseStore> {
    const pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? 20,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
      lock_timeout: options.lockTimeoutMs ?? 500,
      statement_timeout: 10_000,
      idle_in_transaction_session_timeout: 30_000,
      application_name: "wuye-assistant",
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on("error", () => undefined);
    const client = await pool.connect();
    try {
      await migratePg(client);
    } finally {
      client.release();
    }
    return new PgCaseStore(pool, backends, options.now);
  }

  private async q(sql: string, params: unknown[] = [], db: Db = this.pool): Promise<Row[]> {
    try {
      return (await db.query(sql, params)).rows as Row[];
    } catch (error) {
      if (isBusy(error)) throw new StoreBusyError(String((error as Error).message));
      throw error;
    }
  }

  private async tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new StoreBusyError(String((error as Error).message));
    }
    try {
      await client.query("BEGIN");
      const result = await fn(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      if (isBusy(error)) throw new StoreBusyError(String((error as Error).message));
      throw error;
    } finally {
      client.release();
    }
  }

  // --- cases ------------------------------------------------------------------

  async file(
    input: FileInput,
    options: { sourceKey?: string; expect?: Map<string, number> } = {},
  ): Promise<FiledCase> {
    const at = this.now();
    const iso = at.toISOString();
    const id = randomUUID();
    const c = input.complaint;
    try {
      return await this.tx(async (db) => {
        if (options.sourceKey) {
          const [existing] = await this.q(
            "SELECT id FROM cases WHERE source_key = $1",
            [options.sourceKey],
            db,
          );
          if (existing) return (await this.getWith(String(existing.id), db)) as FiledCase;
        }
        if (options.expect) await this.checkVersions(options.expect, db);
        await this.q(
          `INSERT INTO cases (id, number, category, district, community, urgency, anonymous, legal_basis,
            description, location, company, occurred_at, contact_name, contact_phone, status,
            origin_platform, origin_private_conversation, origin_sender, origin_group, source_key,
            created_at, updated_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,'new',$15,$16,$17,$18,$19,$20,$20)`,
          [
            id,
            // Numbered at the end of the transaction (below), so the day's counter row is
            // locked only for the commit, not for every insert: filings from many processes
            // queue on it for milliseconds.
            `pending:${id}`,
            c.category,
            c.district,
            c.community,
            c.urgency,
            c.anonymous,
            JSON.stringify(c.legal_basis),
            c.description,
            c.location,
            c.company,
            c.occurredAt,
            c.anonymous ? null : (c.contact?.name ?? null),
            c.anonymous ? null : (c.contact?.phone ?? null),
            input.origin.platform,
            input.origin.privateConversationId,
            input.origin.senderId,
            input.origin.groupConversationId ?? null,
            options.sourceKey ?? null,
            iso,
          ],
          db,
        );
        for (const [i, t] of input.transcript.entries()) {
          await this.q(
            "INSERT INTO transcripts (case_id, seq, role, text, at) VALUES ($1, $2, $3, $4, $5)",
            [id, i, t.role, t.text, t.at],
            db,
          );
        }
        for (const e of c.evidence) {
          await this.q(
            "INSERT INTO attachments (case_id, kind, ref, at) VALUES ($1, $2, $3, $4)",
            [id, e.kind, e.ref ?? null, e.at],
            db,
          );
        }
        await this.q(
          "INSERT INTO status_history (case_id, status, note, actor, source, at) VALUES ($1, 'new', $2, 'bot', 'bot', $3)",
          [id, "居民通过机器人提交", iso],
          db,
        );
        for (const backend of this.backends) {
          await this.q(
            `INSERT INTO outbox (case_id, backend, idempotency_key, state, next_attempt_at, created_at, updated_at)
             VALUES ($1, $2, $3, 'pending', $4, $4, $4)`,
            [id, backend, `${id}:${backend}`, iso],
            db,
          );
        }
        const day = iso.slice(0, 10).replace(/-/g, "");
        const [n] = await this.q(
          `INSERT INTO case_numbers (day, last) VALUES ($1, 1)
           ON CONFLICT (day) DO UPDATE SET last = case_numbers.last + 1 RETURNING last`,
          [day],
          db,
        );
        const number = `PDS-${day}-${String(n?.last).padStart(4, "0")}`;
        await this.q("UPDATE cases SET number = $1 WHERE id = $2", [number, id], db);
        return (await this.getWith(id, db)) as FiledCase;
      });
    } catch (error) {
      // The same message filed at the same moment by another process: that case is this one.
      if (options.sourceKey && isUniqueViolation(error)) {
        const [existing] = await this.q("SELECT id FROM cases WHERE source_key = $1", [
          options.sourceKey,
        ]);
        if (existing) return (await this.get(String(existing.id))) as FiledCase;
      }
      throw error;
    }
  }

  get(id: string): Promise<FiledCase | undefined> {
    return this.getWith(id, this.pool);
  }

  async byNumber(number: string): Promise<FiledCase | undefined> {
    const [row] = await this.q("SELECT id FROM cases WHERE number = $1", [number]);
    return row ? this.get(String(row.id)) : undefined;
  }

  private async getWith(id: string, db: Db): Promise<FiledCase | undefined> {
    const [row] = await this.q("SELECT * FROM cases WHERE id = $1", [id], db);
    if (!row) return undefined;
    const transcript = (await this.q(
      "SELECT role, text, at FROM transcripts WHERE case_id = $1 ORDER BY seq",
      [id],
      db,
    )) as unknown as TranscriptLine[];
    const evidence = await this.q(
      "SELECT kind, ref, at FROM attachments WHERE case_id = $1 ORDER BY id",
      [id],
      db,
    );
    return filedCaseFromRows(row, evidence, transcript);
  }

  async statusOf(number: string, origin: Pick<CaseOrigin, "platform" | "senderId">) {
    const [row] = await this.q(
      "SELECT status, updated_at FROM cases WHERE number = $1 AND origin_platform = $2 AND origin_sender = $3",
      [number, origin.platform, origin.senderId],
    );
    return row
      ? { status: row.status as CaseStatus, updatedAt: String(row.updated_at) }
      : undefined;
  }

  async casesOf(origin: Pick<CaseOrigin, "platform" | "senderId">) {
    const rows = await this.q(
      "SELECT number, status, updated_at FROM cases WHERE origin_platform = $1 AND origin_sender = $2 ORDER BY created_at DESC, number DESC",
      [origin.platform, origin.senderId],
    );
    return rows.map((r) => ({
      number: String(r.number),
      status: r.status as CaseStatus,
      updatedAt: String(r.updated_at),
    }));
  }

  changeStatus(caseId: string, change: StatusChange): Promise<boolean> {
    return this.tx((db) => this.changeStatusWith(caseId, change, db));
  }

  private async changeStatusWith(caseId: string, change: StatusChange, db: Db): Promise<boolean> {
    const iso = this.now().toISOString();
    const [row] = await this.q("SELECT * FROM cases WHERE id = $1 FOR UPDATE", [caseId], db);
    if (!row) throw new Error(`no case ${caseId}`);
    const inserted = await this.q(
      `INSERT INTO status_history (case_id, status, note, actor, source, remote_update_id, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (remote_update_id) DO NOTHING RETURNING id`,
      [
        caseId,
        change.status,
        change.note ?? null,
        change.actor,
        change.source,
        change.remoteUpdateId ?? null,
        iso,
      ],
      db,
    );
    if (inserted.length === 0) return false;
    await this.q(
      "UPDATE cases SET status = $1, updated_at = $2 WHERE id = $3",
      [change.status, iso, caseId],
      db,
    );
    if (change.notify !== false) {
      const note = change.note ? `说明：${change.note}` : "";
      const text = `您的投诉（编号 ${row.number}）有新进展：${STATUS_LABELS[change.status]}。${note}`;
      await this.q(
        "INSERT INTO notifications (case_id, platform, conversation_id, text, state, created_at) VALUES ($1, $2, $3, $4, 'pending', $5)",
        [caseId, row.origin_platform, row.origin_private_conversation, text, iso],
        db,
      );
    }
    return true;
  }

  markForwardedIfNew(caseId: string, backend: string): Promise<void> {
    return this.tx((db) => this.forwardIfNewWith(caseId, backend, db));
  }

  private async forwardIfNewWith(caseId: string, backend: string, db: Db): Promise<void> {
    const [row] = await this.q("SELECT status FROM cases WHERE id = $1 FOR UPDATE", [caseId], db);
    if (row?.status === "new") {
      await this.changeStatusWith(
        caseId,
        { status: "forwarded", actor: backend, source: "backend" },
        db,
      );
    }
  }

  // --- notifications ------------------------------------------------------------

  async pendingNotifications(platform?: string): Promise<Notification[]> {
    const rows = await this.q(
      `SELECT id, case_id, platform, conversation_id, text FROM notifications
       WHERE state = 'pending' AND ($1::text IS NULL OR platform = $1) ORDER BY id`,
      [platform ?? null],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      caseId: String(r.case_id),
      platform: String(r.platform),
      conversationId: String(r.conversation_id),
      text: String(r.text),
    }));
  }

  async markNotified(id: number): Promise<void> {
    await this.q("UPDATE notifications SET state = 'sent', sent_at = $1 WHERE id = $2", [
      this.now().toISOString(),
      id,
    ]);
  }

  // --- outbox -------------------------------------------------------------------

  async claimDeliveries(
    owner: string,
    limit: number,
    leaseMs: number,
    asOf: Date,
  ): Promise<OutboxEntry[]> {
    const rows = await this.q(
      `UPDATE outbox SET lease_owner = $1, lease_until = $2, claims = claims + 1
       WHERE id IN (
         SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= $3
           AND (lease_until IS NULL OR lease_until < $4)
         ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [
        owner,
        new Date(Date.now() + leaseMs).toISOString(),
        asOf.toISOString(),
        new Date().toISOString(),
        limit,
      ],
    );
    return rows.map(toOutbox).sort((a, b) => a.id - b.id);
  }

  markDelivered(
    id: number,
    owner: string,
    result: { remoteId?: string; token?: string },
  ): Promise<boolean> {
    return this.tx(async (db) => {
      const [r] = await this.q(
        `UPDATE outbox SET state = 'delivered', attempts = attempts + 1, remote_id = COALESCE($1, remote_id),
          token = COALESCE($2, token), last_error = NULL, lease_owner = NULL, lease_until = NULL, updated_at = $3
         WHERE id = $4 AND state = 'pending' AND lease_owner = $5 RETURNING case_id, backend`,
        [result.remoteId ?? null, result.token ?? null, this.now().toISOString(), id, owner],
        db,
      );
      if (!r) return false;
      await this.forwardIfNewWith(String(r.case_id), String(r.backend), db);
      return true;
    });
  }

  async markRetry(id: number, owner: string, reason: string, next: Date): Promise<boolean> {
    const rows = await this.q(
      `UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, updated_at = $3,
        lease_owner = NULL, lease_until = NULL
       WHERE id = $4 AND state = 'pending' AND lease_owner = $5 RETURNING id`,
      [reason, next.toISOString(), this.now().toISOString(), id, owner],
    );
    return rows.length === 1;
  }

  async markFailed(id: number, owner: string, reason: string): Promise<boolean> {
    const rows = await this.q(
      `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = $1, updated_at = $2,
        lease_owner = NULL, lease_until = NULL
       WHERE id = $3 AND state = 'pending' AND lease_owner = $4 RETURNING id`,
      [reason, this.now().toISOString(), id, owner],
    );
    return rows.length === 1;
  }

  async deferDelivery(id: number, owner: string, until: Date): Promise<void> {
    await this.q(
      `UPDATE outbox SET next_attempt_at = $1, updated_at = $2, lease_owner = NULL, lease_until = NULL,
        claims = claims - 1
       WHERE id = $3 AND state = 'pending' AND lease_owner = $4`,
      [until.toISOString(), this.now().toISOString(), id, owner],
    );
  }

  async releaseClaim(id: number, owner: string): Promise<void> {
    await this.q(
      "UPDATE outbox SET lease_owner = NULL, lease_until = NULL, claims = claims - 1 WHERE id = $1 AND lease_owner = $2",
      [id, owner],
    );
  }

  async outboxFor(caseId: string): Promise<OutboxEntry[]> {
    return (await this.q("SELECT * FROM outbox WHERE case_id = $1 ORDER BY id", [caseId])).map(
      toOutbox,
    );
  }

  async awaitingToken(): Promise<OutboxEntry[]> {
    return (
      await this.q(
        "SELECT * FROM outbox WHERE state = 'delivered' AND token IS NOT NULL AND remote_id IS NULL",
      )
    ).map(toOutbox);
  }

  async caseIdByRemoteId(backend: string, remoteId: string): Promise<string | undefined> {
    const [row] = await this.q("SELECT case_id FROM outbox WHERE backend = $1 AND remote_id = $2", [
      backend,
      remoteId,
    ]);
    return row ? String(row.case_id) : undefined;
  }

  async setRemoteId(id: number, remoteId: string): Promise<void> {
    await this.q("UPDATE outbox SET remote_id = $1, updated_at = $2 WHERE id = $3", [
      remoteId,
      this.now().toISOString(),
      id,
    ]);
  }

  async enqueue(caseId: string, backend: string): Promise<OutboxEntry> {
    await this.enqueueWith(caseId, backend, this.pool);
    return (await this.outboxFor(caseId)).find((e) => e.backend === backend) as OutboxEntry;
  }

  private async enqueueWith(caseId: string, backend: string, db: Db): Promise<void> {
    const iso = this.now().toISOString();
    await this.q(
      `INSERT INTO outbox (case_id, backend, idempotency_key, state, next_attempt_at, created_at, updated_at)
       VALUES ($1, $2, $3, 'pending', $4, $4, $4) ON CONFLICT (idempotency_key) DO NOTHING`,
      [caseId, backend, `${caseId}:${backend}`, iso],
      db,
    );
  }

  // --- for the staff console -----------------------------------------------------------

  /** One statement outside a transaction (busy or unreachable: StoreBusyError). */
  query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.q(sql, params);
  }

  /**
   * Runs `fn` in one transaction with the case changes staff make (status, outbox) beside
   * the console's own statements, so an action is recorded whole or not at all.
   */
  transaction<T>(fn: (tx: PgCaseTransaction) => Promise<T>): Promise<T> {
    return this.tx((client) =>
      fn({
        query: (sql, params = []) => this.q(sql, params, client),
        changeStatus: (caseId, change) => this.changeStatusWith(caseId, change, client),
        enqueue: (caseId, backend) => this.enqueueWith(caseId, backend, client),
      }),
    );
  }

  // --- conversations and handled messages --------------------------------------------

  async loadConversation(key: string): Promise<StoredConversation> {
    const [row] = await this.q(
      "SELECT state, version, schema_version FROM conversations WHERE key = $1",
      [key],
    );
    if (!row) return { state: undefined, version: 0 };
    return {
      state: readConversation(String(row.state), Number(row.schema_version)),
      version: Number(row.version),
    };
  }

  async saveConversation(key: string, state: ConversationState | null): Promise<void> {
    if (state === null) {
      await this.q("DELETE FROM conversations WHERE key = $1", [key]);
      return;
    }
    await this.upsert(key, state, this.pool);
  }

  private async upsert(key: string, state: ConversationState, db: Db): Promise<void> {
    await this.q(
      `INSERT INTO conversations (key, state, updated_at, version, schema_version, has_intake)
       VALUES ($1, $2, $3, 1, $4, $5)
       ON CONFLICT (key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at,
         version = conversations.version + 1, schema_version = excluded.schema_version,
         has_intake = excluded.has_intake`,
      [key, JSON.stringify(state), state.updatedAt, CONVERSATION_SCHEMA_VERSION, !!state.intake],
      db,
    );
  }

  /** Locks the rows read (until the transaction ends) and checks none changed since. */
  private async checkVersions(expect: Map<string, number>, db: Db): Promise<void> {
    if (expect.size === 0) return;
    const keys = [...expect.keys()].sort();
    const rows = await this.q(
      "SELECT key, version FROM conversations WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE",
      [keys],
      db,
    );
    const found = new Map(rows.map((r) => [String(r.key), Number(r.version)]));
    for (const [key, version] of expect) {
      if ((found.get(key) ?? 0) !== version) throw new ConversationConflictError();
    }
  }

  async handledReply(
    platform: string,
    senderId: string,
    messageId: string,
  ): Promise<Reply | undefined> {
    const [row] = await this.q(
      "SELECT reply FROM handled_messages WHERE platform = $1 AND sender = $2 AND message_id = $3",
      [platform, senderId, messageId],
    );
    return row ? (JSON.parse(String(row.reply)) as Reply) : undefined;
  }

  async commitMessage(commit: MessageCommit): Promise<void> {
    try {
      await this.tx(async (db) => {
        await this.checkVersions(commit.reads, db);
        for (const [key, state] of commit.writes) {
          const expected = commit.reads.get(key);
          if (state === null) {
            await this.q("DELETE FROM conversations WHERE key = $1", [key], db);
          } else if (expected === 0) {
            // Read as absent: another process creating it meanwhile is a conflict.
            const inserted = await this.q(
              `INSERT INTO conversations (key, state, updated_at, version, schema_version, has_intake)
               VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (key) DO NOTHING RETURNING key`,
              [
                key,
                JSON.stringify(state),
                state.updatedAt,
                CONVERSATION_SCHEMA_VERSION,
                !!state.intake,
              ],
              db,
            );
            if (inserted.length === 0) throw new ConversationConflictError();
          } else {
            await this.upsert(key, state, db);
          }
        }
        const m = commit.message;
        if (m) {
          const inserted = await this.q(
            `INSERT INTO handled_messages (platform, sender, message_id, reply, at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT DO NOTHING RETURNING message_id`,
            [m.platform, m.senderId, m.messageId, JSON.stringify(m.reply), Date.now()],
            db,
          );
          if (inserted.length === 0) throw new ConversationConflictError();
        }
      });
    } catch (error) {
      // Two processes inserting the same new row: the loser retries like any other conflict.
      if (isUniqueViolation(error)) throw new ConversationConflictError();
      throw error;
    }
  }

  async prune(now: Date): Promise<number> {
    const t = now.getTime();
    const a = await this.q(
      "DELETE FROM conversations WHERE (NOT has_intake AND updated_at < $1) OR updated_at < $2 RETURNING key",
      [t - IDLE_CONVERSATION_MS, t - IDLE_INTAKE_MS],
    );
    const b = await this.q("DELETE FROM handled_messages WHERE at < $1 RETURNING message_id", [
      t - HANDLED_MESSAGES_KEPT_MS,
    ]);
    return a.length + b.length;
  }

  async ping(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.q("SELECT 1"),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new StoreBusyError("ping timed out")), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
