import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseStore } from "../../adapters/cases/case-store.ts";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { PgCaseStore } from "../../adapters/cases/pg-store.ts";
import type { Reply } from "../../bot/message.ts";
import { openKnowledgeBase } from "../../knowledge/knowledge-base.ts";
import { type Open311Server, startOpen311Server } from "../helpers/open311-server.ts";
import { type PgServer, startPostgres } from "../helpers/postgres.ts";

/**
 * Two `api` processes on one casebook (SQLite file, then PostgreSQL), a loopback Open311
 * server, and SIGKILL: 100 complaints whose turns alternate between the processes; ten of
 * them lose their process right after "确认" and the resident's app resends the same message
 * to the other one. Every case is filed once and reaches the backend once; the only repeated
 * deliveries are ones a killed process had already sent (crash after accept), and are counted.
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CHILD = fileURLToPath(new URL("../helpers/api-child.ts", import.meta.url));
const KEY = "test-key-0123456789abcdef";
const COMPLAINTS = 100;
const KILL_EVERY = 10;
const DISTRICTS = ["新华区", "卫东区", "湛河区", "石龙区"];
const COMMUNITIES = ["鹰城花园", "建业森林半岛", "凌云小区", "矿工路小区", "建设路小区"];

let dataDir: string;
let open311: Open311Server;
let pgServer: PgServer;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "wuye-multi-"));
  // Built once here, so the processes open it instead of racing to build it.
  await openKnowledgeBase({ indexDir: join(dataDir, "index") });
  open311 = await startOpen311Server();
  pgServer = await startPostgres();
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await open311?.close();
  await pgServer?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface ApiProcess {
  url: string;
  child: ChildProcess;
}

function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      WUYE_DATA_DIR: dataDir,
      OPEN311_ENDPOINT: open311.endpoint,
      OPEN311_API_KEY: open311.apiKey,
      TEST_API_KEY: KEY,
      TEST_LEASE_MS: "3000",
      ...env,
    },
  });
  children.add(child);
  child.on("exit", () => children.delete(child));
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`api process did not start: ${err}`)), 90_000);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const url = /^listening (\S+)$/m.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, child });
      }
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`api process exited (${signal ?? code}): ${err}`));
    });
  });
}

interface Counters {
  busy: number;
  networkErrors: number;
}

/** One resident message, retried like an app would: on 503 (Retry-After) or a dropped connection. */
async function send(
  pick: () => ApiProcess,
  body: Record<string, unknown>,
  counters: Counters,
): Promise<Reply> {
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      const res = await fetch(`${pick().url}/api/messages`, {
        method: "POST",
        headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (res.status === 503) {
        counters.busy++;
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      expect(res.status).toBe(200);
      return (await res.json()) as Reply;
    } catch {
      counters.networkErrors++;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error("message not answered after 40 tries");
}

function message(i: number, seq: number, text: string) {
  return {
    platform: "app",
    conversationId: `dm-r${i}`,
    chatType: "private",
    senderId: `r${i}`,
    messageId: `r${i}-m${seq}`,
    text,
  };
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const STORES = [
  [
    "SQLite",
    async () => {
      const path = join(dataDir, `casebook-${Date.now()}.sqlite`);
      return {
        env: { CASEBOOK_PATH: path },
        open: async (): Promise<CaseStore> => new Casebook(path, ["open311"]).store,
      };
    },
  ],
  [
    "PostgreSQL",
    async () => {
      const url = await pgServer.createDatabase();
      return {
        env: { DATABASE_URL: url },
        open: async (): Promise<CaseStore> => PgCaseStore.open(url, ["open311"]),
      };
    },
  ],
] as const;

describe.each(STORES)("two api processes on one %s casebook", (name, setup) => {
  it("files every complaint exactly once through alternating processes and 10 SIGKILLs", async () => {
    const before = { posts: open311.posts.length, requests: open311.requests.length };
    const { env, open } = await setup();
    const procs: ApiProcess[] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
    const counters: Counters = { busy: 0, networkErrors: 0 };
    const filed = new Map<number, string>();
    let kills = 0;
    const replacements: Promise<ApiProcess>[] = [];
    const outcomes = { replayed: 0, recovered: 0, fresh: 0 };
    const pendingCheck: { number: string; killedAt: string }[] = [];
    const started = performance.now();

    for (let i = 0; i < COMPLAINTS; i++) {
      const district = DISTRICTS[i % DISTRICTS.length] as string;
      const community = COMMUNITIES[i % COMMUNITIES.length] as string;
      let seq = 0;
      // The turns of one conversation alternate between the two processes.
      const at = (k: number) => () => procs[(i + k) % 2] as ApiProcess;
      let reply = await send(
        at(seq),
        message(i, seq, `我要投诉，${district}${community}物业一直不修电梯`),
        counters,
      );
      while (reply.kind === "complaint_question" || reply.kind === "answer") {
        seq++;
        const ask = reply.text;
        const answer = /区县|哪个区/.test(ask) ? district : /小区/.test(ask) ? community : "匿名";
        reply = await send(at(seq), message(i, seq, answer), counters);
        expect(seq).toBeLessThan(8);
      }
      expect(reply.kind).toBe("complaint_confirm");
      seq++;
      const confirm = message(i, seq, "确认");
      if (i % KILL_EVERY === KILL_EVERY - 1) {
        // "确认" goes out, and its process dies 0–225 ms later, answered or not.
        // Both processes up again before the next kill.
        await Promise.all(replacements);
        const victimIndex = (i + seq) % 2;
        const victim = procs[victimIndex] as ApiProcess;
        void fetch(`${victim.url}/api/messages`, {
          method: "POST",
          headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
          body: JSON.stringify(confirm),
        }).catch(() => undefined);
        // From at once to well after the answer, so kills land before filing, between filing
        // and commit, and after the commit.
        await new Promise((r) => setTimeout(r, kills * 25));
        const killedAt = new Date().toISOString();
        victim.child.kill("SIGKILL");
        kills++;
        // The app resends the same message to the other process, which also takes the dead
        // one's turns until its replacement has started.
        const survivor = procs[1 - victimIndex] as ApiProcess;
        procs[victimIndex] = survivor;
        replacements.push(
          startApiProcess(env).then((p) => {
            procs[victimIndex] = p;
            return p;
          }),
        );
        const res = await fetch(`${survivor.url}/api/messages`, {
          method: "POST",
          headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
          body: JSON.stringify(confirm),
        });
        reply =
          res.status === 200
            ? ((await res.json()) as Reply)
            : await send(() => survivor, confirm, counters);
        // Where the kill struck: after the commit (the retry replays the reply), between filing
        // and commit (the retry finds the same case by its message), or before filing.
        if (res.headers.get("x-wuye-duplicate") === "1") outcomes.replayed++;
        else pendingCheck.push({ number: reply.caseNumber ?? "", killedAt });
      } else {
        reply = await send(at(seq), confirm, counters);
      }
      expect(reply.kind).toBe("complaint_filed");
      expect(reply.caseNumber).toMatch(/^PDS-\d{8}-\d{4}$/);
      filed.set(i, reply.caseNumber as string);
    }
    const conversationSeconds = (performance.now() - started) / 1000;
    const restarted = await Promise.all(replacements);

    const store = await open();
    try {
      // Every case number the residents got is a distinct case, theirs, filed once.
      expect(new Set(filed.values()).size).toBe(COMPLAINTS);
      for (const [i, number] of filed) {
        const c = await store.byNumber(number);
        expect(c?.origin.senderId).toBe(`r${i}`);
      }
      // Nothing else was filed (a second case for a resent "确认" would take the next number).
      const numbers = [...filed.values()].sort();
      const last = numbers.at(-1) as string;
      const next = last.replace(/\d{4}$/, (n) => String(Number(n) + 1).padStart(4, "0"));
      expect(await store.byNumber(next)).toBeUndefined();

      // Every case reaches the backend.
      await waitFor(async () => {
        for (const number of filed.values()) {
          const c = await store.byNumber(number);
          const [entry] = c ? await store.outboxFor(c.id) : [];
          if (entry?.state !== "delivered") return false;
        }
        return true;
      }, "every case delivered");
      const requests = open311.requests.slice(before.requests);
      const posts = open311.posts.slice(before.posts);
      expect(requests).toHaveLength(COMPLAINTS);
      const caseIds = new Set(requests.map((r) => r.post.attributes.case_id));
      expect(caseIds.size).toBe(COMPLAINTS);

      // Repeats only where a claimer vanished after sending (its lease ran out, claims > 1).
      let reclaimed = 0;
      for (const number of filed.values()) {
        const c = await store.byNumber(number);
        const [entry] = c ? await store.outboxFor(c.id) : [];
        if ((entry?.claims ?? 0) > 1) reclaimed++;
      }
      for (const { number, killedAt } of pendingCheck) {
        const c = await store.byNumber(number);
        if (c && c.createdAt < killedAt) outcomes.recovered++;
        else outcomes.fresh++;
      }
      const repeats = posts.filter((p) => p.repeat).length;
      expect(repeats).toBeLessThanOrEqual(reclaimed);
      expect(reclaimed).toBeLessThanOrEqual(kills);
      expect(kills).toBe(COMPLAINTS / KILL_EVERY);
      process.stderr.write(
        `[multi-process ${name}] complaints=${COMPLAINTS} kills=${kills} cases=${caseIds.size} backend_requests=${requests.length} posts=${posts.length} repeated_posts=${repeats} reclaimed_entries=${reclaimed} kill_after_commit=${outcomes.replayed} kill_after_filing=${outcomes.recovered} kill_before_filing=${outcomes.fresh} busy_503=${counters.busy} dropped_connections=${counters.networkErrors} conversation_seconds=${conversationSeconds.toFixed(1)}\n`,
      );
    } finally {
      await store.close();
      for (const p of [...procs, ...restarted]) p.child.kill("SIGKILL");
    }
  }, 600_000);

  it("keeps both fields when a resident's two messages reach the two processes at once", async () => {
    const { env, open } = await setup();
    const procs = await Promise.all([startApiProcess(env), startApiProcess(env)]);
    const counters: Counters = { busy: 0, networkErrors: 0 };
    try {
      for (let n = 0; n < 5; n++) {
        const i = 1000 + n;
        let reply = await send(
          () => procs[0] as ApiProcess,
          message(i, 0, "我要投诉，物业一直不修电梯"),
          counters,
        );
        expect(reply.kind).toBe("complaint_question");
        await Promise.all([
          send(() => procs[0] as ApiProcess, message(i, 1, "新华区"), counters),
          send(() => procs[1] as ApiProcess, message(i, 2, "建设路小区"), counters),
        ]);
        let seq = 3;
        reply = await send(() => procs[1] as ApiProcess, message(i, seq, "匿名"), counters);
        while (reply.kind === "complaint_question") {
          // Asking again for the district or community would mean one of the two was lost.
          expect(reply.text).not.toMatch(/区县|哪个区|哪个小区/);
          seq++;
          reply = await send(() => procs[seq % 2] as ApiProcess, message(i, seq, "匿名"), counters);
        }
        expect(reply.kind).toBe("complaint_confirm");
        expect(reply.text).toContain("新华区");
        expect(reply.text).toContain("建设路");
      }
    } finally {
      for (const p of procs) p.child.kill("SIGKILL");
      const store = await open();
      await store.close();
    }
  }, 300_000);
});
