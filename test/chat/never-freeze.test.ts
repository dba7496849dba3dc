import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseStore } from "../../adapters/cases/case-store.ts";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { PgCaseStore } from "../../adapters/cases/pg-store.ts";
import { startApi } from "../../adapters/chat/http-api.ts";
import { storeBindings } from "../../adapters/chat/message-gate.ts";
import { createEngine } from "../../bot/engine.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";
import { recordingLogger } from "../helpers/logging.ts";
import { type PgServer, startPostgres } from "../helpers/postgres.ts";

/**
 * A write lock held by another process (a long transaction, a backup, a stuck console) makes
 * the requests that need to write fail fast with 503 and Retry-After, while everything else,
 * /healthz first, keeps answering; /readyz says whether the store can be reached.
 */
const KEY = "test-key-0123456789abcdef";
let pgServer: PgServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "wuye-freeze-"));
  pgServer = await startPostgres();
  await shippedKnowledgeBase();
}, 120_000);

afterAll(async () => {
  await pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Setup {
  store: CaseStore;
  /** Takes the write lock from another connection; resolves to its release. */
  lock(): Promise<() => Promise<void>>;
  /** Makes the database unreachable for this store. */
  cutOff?(): Promise<void>;
}

const setups = [
  [
    "SQLite",
    async (): Promise<Setup> => {
      const path = join(dir, `casebook-${Date.now()}.sqlite`);
      const store = new Casebook(path, [], undefined, { busyTimeoutMs: 0 }).store;
      return {
        store,
        async lock() {
          const other = new Database(path);
          other.exec("BEGIN IMMEDIATE");
          return async () => {
            other.exec("ROLLBACK");
            other.close();
          };
        },
      };
    },
  ],
  [
    "PostgreSQL",
    async (): Promise<Setup> => {
      const url = await pgServer.createDatabase();
      const store = await PgCaseStore.open(url, []);
      const admin = async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        return client;
      };
      return {
        store,
        async lock() {
          const other = await admin();
          await other.query("BEGIN");
          await other.query(
            "LOCK TABLE conversations, handled_messages, cases, case_numbers IN EXCLUSIVE MODE",
          );
          return async () => {
            await other.query("ROLLBACK");
            await other.end();
          };
        },
        async cutOff() {
          const name = new URL(url).pathname.slice(1);
          const other = new pg.Client({ connectionString: pgServer.url });
          await other.connect();
          await other.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
          await other.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
            [name],
          );
          await other.end();
        },
      };
    },
  ],
] as const;

describe.each(setups)("the HTTP API on %s", (_name, make) => {
  it("answers 503 within a second while a write lock is held elsewhere, /healthz within 100 ms", async () => {
    const { store, lock, cutOff } = await make();
    const bindings = storeBindings(store);
    const engine = createEngine({
      knowledge: await shippedKnowledgeBase(),
      desk: bindings.desk,
      conversations: bindings.conversations,
    });
    const server = await startApi({
      engine,
      store,
      apiKeys: [KEY],
      logger: recordingLogger(),
      host: "127.0.0.1",
      port: 0,
    });
    const post = (text: string, messageId: string) =>
      fetch(`${server.url}/api/messages`, {
        method: "POST",
        headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          platform: "app",
          conversationId: "u1",
          chatType: "private",
          senderId: "u1",
          messageId,
          text,
        }),
      });
    try {
      // Warm: the first answer loads what the engine needs.
      expect((await post("物业能停水吗", "warm")).status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

      const release = await lock();
      try {
        const started = performance.now();
        const pending = post("物业把电梯停了一个月", "m1");
        // While that request waits for the lock, the process still answers at once.
        await new Promise((r) => setTimeout(r, 50));
        const health = performance.now();
        const healthz = await fetch(`${server.url}/healthz`);
        const healthMs = performance.now() - health;
        const res = await pending;
        const ms = performance.now() - started;
        expect(healthz.status).toBe(200);
        expect(healthMs).toBeLessThan(100);
        expect(res.status).toBe(503);
        expect(res.headers.get("retry-after")).toBe("1");
        expect(((await res.json()) as { error: string }).error).toContain("繁忙");
        expect(ms).toBeLessThan(1000);
      } finally {
        await release();
      }
      // The lock gone, the same message goes through: the 503 left nothing half-done.
      const retry = await post("物业把电梯停了一个月", "m1");
      expect(retry.status).toBe(200);
      expect(retry.headers.get("x-wuye-duplicate")).toBeNull();

      if (cutOff) {
        await cutOff();
        const started = performance.now();
        const ready = await fetch(`${server.url}/readyz`);
        expect(ready.status).toBe(503);
        expect(performance.now() - started).toBeLessThan(2000);
        const health = await fetch(`${server.url}/healthz`);
        expect(health.status).toBe(200);
        const failed = await post("物业能停水吗", "m2");
        expect(failed.status).toBe(503);
      }
    } finally {
      await server.close(1000);
      await store.close().catch(() => undefined);
    }
  }, 60_000);
});
