import type { CaseStore, StatusChange } from "../adapters/cases/case-store.ts";
import { Casebook } from "../adapters/cases/casebook.ts";
import { PgCaseStore } from "../adapters/cases/pg-store.ts";
import { SqliteCaseStore } from "../adapters/cases/sqlite-store.ts";

export type Row = Record<string, unknown>;

/**
 * The console's statements, written once with `?` placeholders, run on either database.
 * Booleans are bound as 0/1 on SQLite; `forUpdate` locks a row read in a transaction on
 * PostgreSQL (SQLite's IMMEDIATE transaction already holds the whole file).
 */
export interface SqlRunner {
  readonly kind: "sqlite" | "postgres";
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  get(sql: string, params?: unknown[]): Promise<Row | undefined>;
  run(sql: string, params?: unknown[]): Promise<void>;
  readonly forUpdate: string;
}

/** A transaction: the console's statements plus the case changes staff make. */
export interface ConsoleTx extends SqlRunner {
  changeStatus(caseId: string, change: StatusChange): Promise<boolean>;
  enqueue(caseId: string, backend: string): Promise<void>;
}

export interface ConsoleDb extends SqlRunner {
  /** The bots' case store on the same database (filed cases, outbox). */
  readonly cases: CaseStore;
  /** Runs `fn` as one write transaction; concurrent ones run one after another. */
  tx<T>(fn: (tx: ConsoleTx) => Promise<T>): Promise<T>;
}

export type ConsoleDbSource = ConsoleDb | CaseStore | Casebook;

const opened = new WeakMap<object, ConsoleDb>();

/** The console's handle on a store; one per store, so its transactions queue on one lock. */
export function consoleDb(source: ConsoleDbSource): ConsoleDb {
  if ("tx" in source && "forUpdate" in source) return source;
  const key = source instanceof SqliteCaseStore ? source.casebook : source;
  let db = opened.get(key);
  if (!db) {
    if (key instanceof Casebook) db = new SqliteConsoleDb(key);
    else if (key instanceof PgCaseStore) db = new PgConsoleDb(key);
    else throw new Error("unknown case store");
    opened.set(key, db);
  }
  return db;
}

function sqliteParams(params: unknown[]): unknown[] {
  return params.map((p) => (typeof p === "boolean" ? (p ? 1 : 0) : p));
}

/** Rows of a query; a statement returning none (UPDATE without RETURNING) is run. */
function sqliteAll(db: Casebook["db"], sql: string, params: unknown[]): Row[] {
  const stmt = db.prepare(sql);
  if (stmt.reader) return stmt.all(...sqliteParams(params)) as Row[];
  stmt.run(...sqliteParams(params));
  return [];
}

class SqliteConsoleDb implements ConsoleDb {
  readonly kind = "sqlite" as const;
  readonly forUpdate = "";
  private open: Promise<void> | undefined;

  constructor(private readonly casebook: Casebook) {}

  get cases(): CaseStore {
    return this.casebook.store;
  }

  private stmt(sql: string) {
    return this.casebook.db.prepare(sql);
  }

  /**
   * better-sqlite3 has one connection per file: while a transaction awaits, a statement of
   * another request would land inside it, so statements outside wait for it to end.
   */
  private async idle(): Promise<void> {
    while (this.open) await this.open;
  }

  async all(sql: string, params: unknown[] = []): Promise<Row[]> {
    await this.idle();
    return sqliteAll(this.casebook.db, sql, params);
  }

  async get(sql: string, params: unknown[] = []): Promise<Row | undefined> {
    await this.idle();
    return this.stmt(sql).get(...sqliteParams(params)) as Row | undefined;
  }

  async run(sql: string, params: unknown[] = []): Promise<void> {
    await this.idle();
    this.stmt(sql).run(...sqliteParams(params));
  }

  async tx<T>(fn: (tx: ConsoleTx) => Promise<T>): Promise<T> {
    await this.idle();
    let done = () => {};
    this.open = new Promise<void>((resolve) => {
      done = resolve;
    });
    const db = this.casebook.db;
    const book = this.casebook;
    const stmt = (sql: string) => db.prepare(sql);
    const inner: ConsoleTx = {
      kind: "sqlite",
      forUpdate: "",
      all: async (sql, params = []) => sqliteAll(db, sql, params),
      get: async (sql, params = []) => stmt(sql).get(...sqliteParams(params)) as Row | undefined,
      run: async (sql, params = []) => {
        stmt(sql).run(...sqliteParams(params));
      },
      changeStatus: async (caseId, change) => book.changeStatus(caseId, change),
      enqueue: async (caseId, backend) => {
        book.enqueue(caseId, backend);
      },
    };
    try {
      // IMMEDIATE takes the write lock first, so a read-then-write (the login throttle) is atomic
      // across processes too.
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn(inner);
        db.exec("COMMIT");
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw error;
      }
    } finally {
      this.open = undefined;
      done();
    }
  }
}

/** `?` → `$1, $2, …` (the console's SQL has no question marks in literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

class PgConsoleDb implements ConsoleDb {
  readonly kind = "postgres" as const;
  readonly forUpdate = " FOR UPDATE";

  constructor(readonly cases: PgCaseStore) {}

  all(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.cases.query(numbered(sql), params);
  }

  async get(sql: string, params: unknown[] = []): Promise<Row | undefined> {
    return (await this.all(sql, params))[0];
  }

  async run(sql: string, params: unknown[] = []): Promise<void> {
    await this.all(sql, params);
  }

  tx<T>(fn: (tx: ConsoleTx) => Promise<T>): Promise<T> {
    return this.cases.transaction((t) => {
      const all = (sql: string, params: unknown[] = []) => t.query(numbered(sql), params);
      return fn({
        kind: "postgres",
        forUpdate: " FOR UPDATE",
        all,
        get: async (sql, params) => (await all(sql, params))[0],
        run: async (sql, params) => {
          await all(sql, params);
        },
        changeStatus: t.changeStatus,
        enqueue: t.enqueue,
      });
    });
  }
}
