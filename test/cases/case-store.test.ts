import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type CaseStore,
  ConversationConflictError,
  StoreBusyError,
} from "../../adapters/cases/case-store.ts";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { PgCaseStore } from "../../adapters/cases/pg-store.ts";
import type { ConversationState } from "../../bot/conversation-state.ts";
import type { Reply } from "../../bot/message.ts";
import { type PgServer, startPostgres } from "../helpers/postgres.ts";
import { filedCase } from "./support.ts";

/**
 * One suite, two stores: everything the bot processes rely on behaves the same on the
 * embedded SQLite casebook and on PostgreSQL. "Two processes" are two independent handles
 * (two SQLite connections to one file, two PostgreSQL pools on one database).
 */
interface Harness {
  open(): Promise<CaseStore>;
  /** Holds a write lock from outside until the returned function is called. */
  holdWriteLock(): Promise<() => Promise<void>>;
  /** Writes a raw conversation row, as an older or damaged version might have left it. */
  rawConversation(key: string, state: string, schemaVersion: number): Promise<void>;
  cleanup(): Promise<void>;
}

let server: PgServer | undefined;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

function sqliteHarness(): Harness {
  const dir = mkdtempSync(join(tmpdir(), "wuye-store-"));
  const path = join(dir, "casebook.sqlite");
  const open: Casebook[] = [];
  return {
    async open() {
      const book = new Casebook(path, ["open311"], undefined, { busyTimeoutMs: 0 });
      open.push(book);
      return book.store;
    },
    async holdWriteLock() {
      const db = new Database(path);
      db.exec("BEGIN IMMEDIATE");
      return async () => {
        db.exec("ROLLBACK");
        db.close();
      };
    },
    async rawConversation(key, state, schemaVersion) {
      const db = new Database(path);
      db.prepare(
        "INSERT OR REPLACE INTO conversations (key, state, updated_at, version, schema_version, has_intake) VALUES (?, ?, ?, 1, ?, 0)",
      ).run(key, state, Date.now(), schemaVersion);
      db.close();
    },
    async cleanup() {
      for (const book of open) book.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function pgHarness(): Promise<Harness> {
  if (!server) throw new Error("no server");
  const url = await server.createDatabase();
  const open: PgCaseStore[] = [];
  return {
    async open() {
      const store = await PgCaseStore.open(url, ["open311"]);
      open.push(store);
      return store;
    },
    async holdWriteLock() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query("BEGIN");
      await client.query("LOCK TABLE cases, case_numbers, conversations IN EXCLUSIVE MODE");
      return async () => {
        await client.query("ROLLBACK");
        await client.end();
      };
    },
    async rawConversation(key, state, schemaVersion) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(
        `INSERT INTO conversations (key, state, updated_at, version, schema_version, has_intake)
         VALUES ($1, $2, $3, 1, $4, false)
         ON CONFLICT (key) DO UPDATE SET state = excluded.state, schema_version = excluded.schema_version`,
        [key, state, Date.now(), schemaVersion],
      );
      await client.end();
    },
    async cleanup() {
      for (const store of open) await store.close();
    },
  };
}

const sample = (sender = "resident-1") => {
  const c = filedCase();
  return {
    complaint: c.complaint,
    origin: { ...c.origin, senderId: sender },
    transcript: c.transcript,
  };
};

const state = (text: string, intake = false): ConversationState => ({
  lastQuestion: text,
  lastCitations: [],
  updatedAt: Date.now(),
  ...(intake ? { intake: {} as ConversationState["intake"] } : {}),
});

const reply = (text: string, caseNumber?: string): Reply => ({
  kind: caseNumber ? "complaint_filed" : "answer",
  text,
  citations: [],
  ...(caseNumber ? { caseNumber } : {}),
});

describe.each([
  ["SQLite", async () => sqliteHarness()],
  ["PostgreSQL", pgHarness],
] as const)("case store on %s", (_name, makeHarness) => {
  let h: Harness;
  let store: CaseStore;

  beforeEach(async () => {
    h = await makeHarness();
    store = await h.open();
  });

  afterEach(async () => {
    await h.cleanup();
  });

  it("files a case with its outbox entry and shows its status only to the resident who filed it", async () => {
    const filed = await store.file(sample());
    expect(filed.number).toMatch(/^PDS-\d{8}-0001$/);
    expect((await store.byNumber(filed.number))?.complaint).toEqual(filed.complaint);
    expect(await store.outboxFor(filed.id)).toMatchObject([
      { backend: "open311", state: "pending", attempts: 0, idempotencyKey: `${filed.id}:open311` },
    ]);
    expect(
      await store.statusOf(filed.number, { platform: "test", senderId: "resident-1" }),
    ).toMatchObject({
      status: "new",
    });
    expect(
      await store.statusOf(filed.number, { platform: "test", senderId: "intruder" }),
    ).toBeUndefined();
    const second = await store.file(sample());
    expect(second.number).toMatch(/-0002$/);
  });

  it("files one case per platform message however often the filing is repeated, from any process", async () => {
    const other = await h.open();
    const [a, b] = await Promise.all([
      store.file(sample(), { sourceKey: "web/u1/m1" }),
      other.file(sample(), { sourceKey: "web/u1/m1" }),
    ]);
    const again = await other.file(sample(), { sourceKey: "web/u1/m1" });
    expect(b.id).toBe(a.id);
    expect(again.number).toBe(a.number);
    expect(await store.outboxFor(a.id)).toHaveLength(1);
    const different = await store.file(sample(), { sourceKey: "web/u1/m2" });
    expect(different.id).not.toBe(a.id);
  });

  it("refuses to file when the conversation it was based on changed meanwhile", async () => {
    await store.saveConversation("c1", state("first"));
    const read = await store.loadConversation("c1");
    await (await h.open()).saveConversation("c1", state("changed elsewhere"));
    await expect(
      store.file(sample(), { sourceKey: "k", expect: new Map([["c1", read.version]]) }),
    ).rejects.toBeInstanceOf(ConversationConflictError);
    expect(await store.byNumber("PDS-00000000-0000")).toBeUndefined();
    const fresh = await store.loadConversation("c1");
    const filed = await store.file(sample(), {
      sourceKey: "k",
      expect: new Map([["c1", fresh.version]]),
    });
    expect(filed.number).toMatch(/-0001$/);
  });

  it("lets only one of two processes commit a message on the same conversation state", async () => {
    const other = await h.open();
    await store.saveConversation("c1", state("start"));
    const mine = await store.loadConversation("c1");
    const theirs = await other.loadConversation("c1");
    await store.commitMessage({
      message: { platform: "web", senderId: "u1", messageId: "m1", reply: reply("新华区") },
      reads: new Map([["c1", mine.version]]),
      writes: new Map([["c1", state("district")]]),
    });
    await expect(
      other.commitMessage({
        message: { platform: "web", senderId: "u1", messageId: "m2", reply: reply("小区") },
        reads: new Map([["c1", theirs.version]]),
        writes: new Map([["c1", state("community")]]),
      }),
    ).rejects.toBeInstanceOf(ConversationConflictError);
    // The loser left nothing behind: no message id, state from the winner only.
    expect(await other.handledReply("web", "u1", "m2")).toBeUndefined();
    expect((await other.loadConversation("c1")).state?.lastQuestion).toBe("district");
    // Two processes both creating a conversation that did not exist: one wins.
    await store.commitMessage({
      reads: new Map([["c2", 0]]),
      writes: new Map([["c2", state("a")]]),
    });
    await expect(
      other.commitMessage({ reads: new Map([["c2", 0]]), writes: new Map([["c2", state("b")]]) }),
    ).rejects.toBeInstanceOf(ConversationConflictError);
  });

  it("remembers a handled message per platform and sender, with the reply and case number it got", async () => {
    await store.commitMessage({
      message: {
        platform: "web",
        senderId: "u1",
        messageId: "m1",
        reply: reply("已登记", "PDS-20261201-0001"),
      },
      reads: new Map(),
      writes: new Map(),
    });
    expect(await (await h.open()).handledReply("web", "u1", "m1")).toMatchObject({
      kind: "complaint_filed",
      caseNumber: "PDS-20261201-0001",
    });
    expect(await store.handledReply("web", "u2", "m1")).toBeUndefined();
    expect(await store.handledReply("telegram", "u1", "m1")).toBeUndefined();
    await expect(
      store.commitMessage({
        message: { platform: "web", senderId: "u1", messageId: "m1", reply: reply("again") },
        reads: new Map(),
        writes: new Map(),
      }),
    ).rejects.toBeInstanceOf(ConversationConflictError);
  });

  it("drops conversation rows of another schema version or a damaged shape when reading them", async () => {
    await h.rawConversation("old", JSON.stringify(state("x")), 0);
    await h.rawConversation("damaged", JSON.stringify({ lastCitations: "nope" }), 1);
    await h.rawConversation("garbage", "{not json", 1);
    await h.rawConversation("good", JSON.stringify(state("ok")), 1);
    expect((await store.loadConversation("old")).state).toBeUndefined();
    expect((await store.loadConversation("damaged")).state).toBeUndefined();
    expect((await store.loadConversation("garbage")).state).toBeUndefined();
    expect((await store.loadConversation("good")).state?.lastQuestion).toBe("ok");
  });

  it("prunes idle conversations, keeping a half-told complaint much longer", async () => {
    const hoursAgo = (h: number) => Date.now() - h * 3_600_000;
    await store.saveConversation("idle", { ...state("q"), updatedAt: hoursAgo(7) });
    await store.saveConversation("recent", { ...state("q"), updatedAt: hoursAgo(1) });
    await store.saveConversation("draft", { ...state("q", true), updatedAt: hoursAgo(7) });
    await store.saveConversation("stale-draft", {
      ...state("q", true),
      updatedAt: hoursAgo(31 * 24),
    });
    expect(await store.prune(new Date())).toBe(2);
    expect((await store.loadConversation("idle")).version).toBe(0);
    expect((await store.loadConversation("stale-draft")).version).toBe(0);
    expect((await store.loadConversation("recent")).state).toBeDefined();
    expect((await store.loadConversation("draft")).state).toBeDefined();
  });

  it("gives each outbox entry to one worker at a time, across processes", async () => {
    const other = await h.open();
    const filed = [];
    for (let i = 0; i < 30; i++) filed.push(await store.file(sample()));
    const claims = await Promise.all(
      [store, other, store, other].map((s, i) =>
        s.claimDeliveries(`w${i}`, 10, 60_000, new Date()),
      ),
    );
    const ids = claims.flat().map((e) => e.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect(await other.claimDeliveries("w9", 10, 60_000, new Date())).toEqual([]);
  });

  it("lets another worker take an entry once a dead claimer's lease has run out", async () => {
    const other = await h.open();
    const filed = await store.file(sample());
    const [entry] = await store.claimDeliveries("dead", 10, 50, new Date());
    expect(entry?.caseId).toBe(filed.id);
    expect(await other.claimDeliveries("live", 10, 60_000, new Date())).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const [again] = await other.claimDeliveries("live", 10, 60_000, new Date());
    expect(again).toMatchObject({ id: entry?.id, claims: 2, attempts: 0 });
    // The dead claimer's late report is ignored; the live one's counts, once.
    expect(await store.markDelivered(entry?.id ?? 0, "dead", { remoteId: "x" })).toBe(false);
    expect(await other.markDelivered(entry?.id ?? 0, "live", { remoteId: "7" })).toBe(true);
    expect(await other.outboxFor(filed.id)).toMatchObject([
      { state: "delivered", remoteId: "7", attempts: 1 },
    ]);
    expect((await store.get(filed.id))?.status).toBe("forwarded");
    expect(
      (await store.pendingNotifications("test")).filter((n) => n.caseId === filed.id),
    ).toHaveLength(1);
  });

  it("applies a backend's status update once, however often it is fetched", async () => {
    const filed = await store.file(sample());
    const change = {
      status: "closed",
      actor: "open311",
      source: "backend",
      remoteUpdateId: "open311:9",
    } as const;
    expect(await store.changeStatus(filed.id, change)).toBe(true);
    expect(await (await h.open()).changeStatus(filed.id, change)).toBe(false);
    const notes = await store.pendingNotifications("test");
    expect(notes.filter((n) => n.caseId === filed.id)).toHaveLength(1);
    await store.markNotified(notes[0]?.id ?? 0);
    expect(await store.pendingNotifications("test")).toEqual([]);
  });

  it("fails fast with StoreBusyError while another process holds a write lock, and works again after", async () => {
    const release = await h.holdWriteLock();
    try {
      const started = Date.now();
      await expect(store.file(sample())).rejects.toBeInstanceOf(StoreBusyError);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await release();
    }
    expect((await store.file(sample())).number).toMatch(/-0001$/);
  });
});
