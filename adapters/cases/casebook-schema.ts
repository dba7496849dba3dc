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
  // 3: the staff console: accounts, sessions, login throttling, the audit trail,
  //    internal notes, and a full-text index over what residents wrote. The
  //    trigram tokenizer because Chinese has no spaces between words; the index
  //    is keyed by case id (not rowid) because VACUUM may renumber the rowids
  //    of a table whose primary key is text.
  `
  CREATE TABLE console_users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer')),
    districts TEXT NOT NULL DEFAULT '[]',
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE console_sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES console_users(id),
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
    id INTEGER PRIMARY KEY,
    case_id TEXT REFERENCES cases(id),
    user_id INTEGER REFERENCES console_users(id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}',
    at TEXT NOT NULL
  );
  CREATE INDEX console_audit_case ON console_audit(case_id, id);
  CREATE TABLE console_notes (
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    user_id INTEGER NOT NULL REFERENCES console_users(id),
    text TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX console_notes_case ON console_notes(case_id, id);
  CREATE INDEX cases_urgency ON cases(urgency);
  CREATE VIRTUAL TABLE cases_fts USING fts5(
    case_id UNINDEXED, description, location, community, company,
    tokenize = 'trigram'
  );
  INSERT INTO cases_fts (case_id, description, location, community, company)
    SELECT id, description, coalesce(location, ''), coalesce(community, ''), coalesce(company, '')
    FROM cases;
  CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts (case_id, description, location, community, company)
    VALUES (new.id, new.description, coalesce(new.location, ''), coalesce(new.community, ''),
      coalesce(new.company, ''));
  END;
  CREATE TRIGGER cases_fts_update AFTER UPDATE OF description, location, community, company
    ON cases BEGIN
    DELETE FROM cases_fts WHERE case_id = old.id;
    INSERT INTO cases_fts (case_id, description, location, community, company)
    VALUES (new.id, new.description, coalesce(new.location, ''), coalesce(new.community, ''),
      coalesce(new.company, ''));
  END;
  CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
    DELETE FROM cases_fts WHERE case_id = old.id;
  END;
  `,
  // 4: many processes on one casebook. A case remembers the platform message that filed it
  //    (filing is idempotent per message); outbox entries are leased to one worker at a time;
  //    a handled message is kept per platform and sender with the reply it got, written in the
  //    same transaction as the conversation state it left; conversation rows carry a version
  //    (optimistic concurrency across processes) and the shape they were written in.
  `
  ALTER TABLE cases ADD COLUMN source_key TEXT;
  CREATE UNIQUE INDEX cases_source_key ON cases(source_key);
  ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
  ALTER TABLE outbox ADD COLUMN lease_until TEXT;
  ALTER TABLE outbox ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE handled_messages (
    platform TEXT NOT NULL,
    sender TEXT NOT NULL,
    message_id TEXT NOT NULL,
    reply TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (platform, sender, message_id)
  );
  CREATE INDEX handled_messages_at ON handled_messages(at);
  ALTER TABLE conversations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE conversations ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE conversations ADD COLUMN has_intake INTEGER NOT NULL DEFAULT 1;
  CREATE INDEX conversations_idle ON conversations(updated_at);
  `,
  // 5: addresses an account has logged in from, so a lock on a busy address (a shared
  //    reverse proxy) does not keep that address's own staff out.
  `
  CREATE TABLE console_known_addresses (
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    last_at TEXT NOT NULL,
    PRIMARY KEY (username, ip)
  );
  `,
];

/**
 * Processes opening a fresh casebook together must not both migrate it: each step reads the
 * version inside its own IMMEDIATE transaction, so the second process finds it done.
 */
export function migrate(db: Database.Database): void {
  for (;;) {
    const applied = db
      .transaction((): boolean => {
        const current = db.pragma("user_version", { simple: true }) as number;
        const sql = MIGRATIONS[current];
        if (sql === undefined) return false;
        db.exec(sql);
        db.pragma(`user_version = ${current + 1}`);
        return true;
      })
      .immediate();
    if (!applied) return;
  }
}

export const SCHEMA_VERSION = MIGRATIONS.length;
