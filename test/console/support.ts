import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CaseStore } from "../../adapters/cases/case-store.ts";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { PgCaseStore } from "../../adapters/cases/pg-store.ts";
import { type CaseStatus, type Complaint, emptyComplaint } from "../../bot/complaint.ts";
import { consoleDb } from "../../console/db.ts";
import { type PgServer, startPostgres } from "../helpers/postgres.ts";

/** A clock tests can set; `null` means the real time. */
export function testClock(start: Date | null = null) {
  let current = start;
  return {
    now: () => current ?? new Date(),
    set(at: Date | string | null) {
      current = at === null ? null : new Date(at);
    },
    advance(ms: number) {
      current = new Date((current ?? new Date()).getTime() + ms);
    },
  };
}

/** A casebook in a fresh temporary folder, with a clock the test controls. */
export function tempCasebook(clock = testClock()) {
  const dir = mkdtempSync(join(tmpdir(), "wuye-console-"));
  const casebook = new Casebook(join(dir, "casebook.sqlite"), [], clock.now);
  return {
    casebook,
    clock,
    dispose() {
      casebook.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SeedCase {
  /** When it was filed (ISO). */
  at: string;
  complaint?: Partial<Complaint>;
  /** Status changes after filing, in order, each at its own time. */
  changes?: { status: CaseStatus; at: string; note?: string }[];
  sender?: string;
}

/** Files a case at a given moment and applies its status changes at theirs, as staff would. */
export function seedCase(
  book: ReturnType<typeof tempCasebook>,
  seed: SeedCase,
): { id: string; number: string } {
  book.clock.set(seed.at);
  const filed = book.casebook.file({
    complaint: {
      ...emptyComplaint(),
      category: "service_quality",
      district: "新华区",
      community: "建设路小区",
      description: "物业不清理楼道垃圾",
      ...seed.complaint,
    },
    origin: {
      platform: "test",
      privateConversationId: `dm-${seed.sender ?? "r1"}`,
      senderId: seed.sender ?? "r1",
    },
    transcript: [
      { role: "resident", text: seed.complaint?.description ?? "物业不清理楼道垃圾", at: seed.at },
    ],
  });
  for (const change of seed.changes ?? []) {
    book.clock.set(change.at);
    book.casebook.changeStatus(filed.id, {
      status: change.status,
      note: change.note ?? "测试",
      actor: "seed",
      source: "staff",
    });
  }
  return { id: filed.id, number: filed.number };
}

export { listen } from "../helpers/listen.ts";

/** A plain HTTP client that keeps cookies, like a browser without JavaScript. */
export class HttpClient {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly base: string,
    /** Sent with every request (e.g. X-Forwarded-For from a proxy). */
    private readonly extra: Record<string, string> = {},
  ) {}

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private headers(): Record<string, string> {
    return this.cookies.size > 0
      ? { ...this.extra, cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") }
      : { ...this.extra };
  }

  async get(path: string): Promise<Response> {
    const res = await fetch(this.base + path, { headers: this.headers(), redirect: "manual" });
    this.remember(res);
    return res;
  }

  async post(path: string, form: Record<string, string | string[]>): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) {
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    }
    const res = await fetch(this.base + path, {
      method: "POST",
      headers: { ...this.headers(), "content-type": "application/x-www-form-urlencoded" },
      body,
      redirect: "manual",
    });
    this.remember(res);
    return res;
  }

  /** The CSRF token of the first form on a page. */
  async csrfFrom(path: string): Promise<string> {
    const page = await (await this.get(path)).text();
    const m = /name="_csrf" value="([^"]+)"/.exec(page);
    if (!m?.[1]) throw new Error(`no CSRF token on ${path}`);
    return m[1];
  }

  async login(username: string, password: string): Promise<Response> {
    const token = await this.csrfFrom("/login");
    return this.post("/login", { _csrf: token, username, password, next: "/cases" });
  }
}

/** Knowledge for tests that do not look at the legal basis. */
export const NO_KNOWLEDGE = {
  unit: () => undefined,
  citation: (key: string) => key,
};

/** The databases the console suites run on. */
export const CONSOLE_STORES = ["SQLite", "PostgreSQL"] as const;
export type StoreKind = (typeof CONSOLE_STORES)[number];

/** One throw-away PostgreSQL server per test file, started only when a suite needs it. */
export function sharedPostgres() {
  let server: Promise<PgServer> | undefined;
  return {
    database(): Promise<string> {
      server ??= startPostgres();
      return server.then((s) => s.createDatabase());
    },
    async stop() {
      if (server) await (await server).stop();
    },
  };
}

/** The console's database on either store, with a clock the test controls. */
export interface ConsoleBook {
  kind: StoreKind;
  store: CaseStore;
  clock: ReturnType<typeof testClock>;
  /** Another handle on the same database, as a second console process would open it. */
  reopen(): Promise<CaseStore>;
  /** A statement of the test's own (`?` placeholders on both databases). */
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

export async function openBook(
  kind: StoreKind,
  postgres: ReturnType<typeof sharedPostgres>,
  clock = testClock(),
): Promise<ConsoleBook> {
  const others: CaseStore[] = [];
  if (kind === "SQLite") {
    const book = tempCasebook(clock);
    return {
      kind,
      store: book.casebook.store,
      clock,
      async reopen() {
        const other = new Casebook(book.casebook.path, [], clock.now, { busyTimeoutMs: 200 }).store;
        others.push(other);
        return other;
      },
      sql: (text, params) => consoleDb(book.casebook).all(text, params),
      async dispose() {
        for (const other of others) await other.close();
        book.dispose();
      },
    };
  }
  const url = await postgres.database();
  const store = await PgCaseStore.open(url, [], { now: clock.now });
  return {
    kind,
    store,
    clock,
    async reopen() {
      const other = await PgCaseStore.open(url, [], { now: clock.now });
      others.push(other);
      return other;
    },
    sql: (text, params) => consoleDb(store).all(text, params),
    async dispose() {
      for (const other of others) await other.close();
      await store.close();
    },
  };
}

/** seedCase on either store. */
export async function seedBook(
  book: ConsoleBook,
  seed: SeedCase,
): Promise<{ id: string; number: string }> {
  book.clock.set(seed.at);
  const filed = await book.store.file({
    complaint: {
      ...emptyComplaint(),
      category: "service_quality",
      district: "新华区",
      community: "建设路小区",
      description: "物业不清理楼道垃圾",
      ...seed.complaint,
    },
    origin: {
      platform: "test",
      privateConversationId: `dm-${seed.sender ?? "r1"}`,
      senderId: seed.sender ?? "r1",
    },
    transcript: [
      { role: "resident", text: seed.complaint?.description ?? "物业不清理楼道垃圾", at: seed.at },
    ],
  });
  for (const change of seed.changes ?? []) {
    book.clock.set(change.at);
    await book.store.changeStatus(filed.id, {
      status: change.status,
      note: change.note ?? "测试",
      actor: "seed",
      source: "staff",
    });
  }
  return { id: filed.id, number: filed.number };
}
