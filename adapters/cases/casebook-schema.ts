import type Database from "better-sqlite3";

/**
 * Versioned migrations, applied in order inside one transaction each and
 * recorded in PRAGMA user_version. Never edit a shipped migration: add one.
 */
const MIGRATIONS: string[] = [
  // 1: cases, their conversation, history, evidence, the delivery outbox,
  //    resident notifications and persistent conversation state.
  `
  CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    category TEXT,
    district TEXT,
    community TEXT,
    urgency TEXT NOT NULL,
    anonymous INTEGER NOT NULL,
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
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX cases_status ON cases(status);
  CREATE INDEX cases_district ON cases(district);
  CREATE INDEX cases_created ON cases(created_at);
  CREATE TABLE transcripts (
    case_id TEXT NOT NULL REFERENCES cases(id),
    seq INTEGER NOT NULL,
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
  );
  CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    ref TEXT,
    at TEXT NOT NULL
  );
  CREATE TABLE status_history (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    status TEXT NOT NULL,
    note TEXT,
    actor TEXT NOT NULL,
    source TEXT NOT NULL,
    remote_update_id TEXT UNIQUE,
    at TEXT NOT NULL
  );
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    backend TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    remote_id TEXT,
    token TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
  CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    platform TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    text TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT
  );
  CREATE TABLE conversations (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE case_numbers (
    day TEXT PRIMARY KEY,
    last INTEGER NOT NULL
  );
  `,
  // 2: messages already handled, so a redelivered platform update is answered once.
  `
  CREATE TABLE processed_messages (
    platform TEXT NOT NULL,
    message_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (platform, message_id)
  );
  `,
];

export function migrate(db: Database.Database): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  MIGRATIONS.slice(current).forEach((sql, i) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${current + i + 1}`);
    })();
  });
}

export const SCHEMA_VERSION = MIGRATIONS.length;
