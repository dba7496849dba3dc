import type pg from "pg";

/**
 * PostgreSQL migrations, applied in order, each recorded in schema_migrations. Processes
 * starting together take an advisory lock first, so exactly one of them migrates. Never edit
 * a shipped migration: add one. Times are ISO-8601 UTC text, as in the SQLite casebook, so
 * both stores compare and sort them the same way.
 */
const MIGRATIONS: string[] = [
  // 1: the casebook, outbox, notifications, conversation state, handled messages, and the
  //    staff console's accounts, sessions, throttle, audit trail and notes.
  `
  CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    category TEXT,
    district TEXT,
    community TEXT,
    urgency TEXT NOT NULL,
    anonymous BOOLEAN NOT NULL,
    legal_basis TEXT NOT NULL,
    description TEXT NOT NULL,
    location TEXT,
    company TEXT,
    occurred_at TEXT,
    contact_name TEXT,
    contact_phone TEXT,
    status TEXT NOT NULL,
    origin_platform TEXT NOT NULL,
    origin_private_conversation TEXT NOT NULL,
    origin_sender TEXT NOT NULL,
    origin_group TEXT,
    assignee TEXT,
    duplicate_of TEXT,
    outcome TEXT,
    source_key TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX cases_status ON cases(status);
  CREATE INDEX cases_district ON cases(district);
  CREATE INDEX cases_created ON cases(created_at);
  CREATE INDEX cases_urgency ON cases(urgency);
  CREATE TABLE transcripts (
    case_id TEXT NOT NULL REFERENCES cases(id),
    seq INTEGER NOT NULL,
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
  );
  CREATE TABLE attachments (
    id BIGSERIAL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    ref TEXT,
    at TEXT NOT NULL
  );
  CREATE INDEX attachments_case ON attachments(case_id);
  CREATE TABLE status_history (
    id BIGSERIAL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    status TEXT NOT NULL,
    note TEXT,
    actor TEXT NOT NULL,
    source TEXT NOT NULL,
    remote_update_id TEXT UNIQUE,
    at TEXT NOT NULL
  );
  CREATE INDEX status_history_case ON status_history(case_id);
  CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    backend TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    remote_id TEXT,
    token TEXT,
    lease_owner TEXT,
    lease_until TEXT,
    claims INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
  CREATE INDEX outbox_case ON outbox(case_id);
  CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    platform TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    text TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT
  );
  CREATE INDEX notifications_pending ON notifications(state, platform);
  CREATE TABLE conversations (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    has_intake BOOLEAN NOT NULL
  );
  CREATE INDEX conversations_idle ON conversations(updated_at);
  CREATE TABLE case_numbers (
    day TEXT PRIMARY KEY,
    last INTEGER NOT NULL
  );
  CREATE TABLE handled_messages (
    platform TEXT NOT NULL,
    sender TEXT NOT NULL,
    message_id TEXT NOT NULL,
    reply TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (platform, sender, message_id)
  );
  CREATE INDEX handled_messages_at ON handled_messages(at);
  CREATE TABLE console_users (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL,
    display_name TEXT,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer')),
    districts TEXT NOT NULL DEFAULT '[]',
    disabled BOOLEAN NOT NULL DEFAULT false,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX console_users_name ON console_users(lower(username));
  CREATE TABLE console_sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES console_users(id),
    csrf_token TEXT NOT NULL,
    flash TEXT,
    ip TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX console_sessions_expiry ON console_sessions(expires_at);
  CREATE TABLE console_login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start TEXT NOT NULL,
    locked_until TEXT
  );
  CREATE TABLE console_audit (
    id BIGSERIAL PRIMARY KEY,
    case_id TEXT REFERENCES cases(id),
    user_id BIGINT REFERENCES console_users(id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}',
    at TEXT NOT NULL
  );
  CREATE INDEX console_audit_case ON console_audit(case_id, id);
  CREATE TABLE console_notes (
    id BIGSERIAL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    user_id BIGINT NOT NULL REFERENCES console_users(id),
    text TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX console_notes_case ON console_notes(case_id, id);
  CREATE TABLE console_known_addresses (
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    last_at TEXT NOT NULL,
    PRIMARY KEY (username, ip)
  );
  `,
];

export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/** An arbitrary constant naming this application's migration lock. */
const MIGRATION_LOCK = 7_215_001;

export async function migratePg(client: pg.PoolClient): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    );
    const { rows } = await client.query<{ v: number | null }>(
      "SELECT max(version) AS v FROM schema_migrations",
    );
    const current = rows[0]?.v ?? 0;
    for (const [i, sql] of MIGRATIONS.entries()) {
      if (i + 1 <= current) continue;
      await client.query(sql);
      await client.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [
        i + 1,
        new Date().toISOString(),
      ]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
