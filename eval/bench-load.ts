/**
 * Load figures for several API processes on one database (`npm run bench -- --load`):
 * the HTTP API (bin/api.ts, unchanged) with 1, 2 and 4 processes on a throw-away PostgreSQL,
 * beside one process on the SQLite casebook. Virtual residents each tell a complaint
 * (first message, the anonymous answer, 确认) with their turns spread over the processes;
 * the figures are messages per second and the latency of each request (p50/p95).
 * Then delivery under a kill: two processes with a loopback Open311 server, one SIGKILLed
 * mid-run; every case must reach the backend once, repeats (crash after accept) are counted.
 *
 *   npm run bench -- --load [--residents 300] [--concurrency 100]
 *
 * Loopback only; the load is bounded (residents × 3 messages per configuration).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PgCaseStore } from "../adapters/cases/pg-store.ts";
import { openKnowledgeBase } from "../knowledge/knowledge-base.ts";
import { type Open311Server, startOpen311Server } from "../test/helpers/open311-server.ts";
import { percentile } from "./metrics.ts";
import { startPostgres } from "./throwaway-postgres.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const KEY = "bench-key-0123456789abcdef";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const RESIDENTS = option("residents", 300);
const CONCURRENCY = option("concurrency", 100);
const DISTRICTS = ["新华区", "卫东区", "湛河区", "石龙区", "舞钢市", "汝州市"];
const COMMUNITIES = ["鹰城花园", "建业森林半岛", "凌云小区", "矿工路小区", "建设路小区"];

const dataDir = mkdtempSync(join(tmpdir(), "wuye-load-"));

interface Proc {
  url: string;
  child: ChildProcess;
}

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

async function startApi(env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "bin/api.ts")], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      WUYE_DATA_DIR: dataDir,
      API_KEYS: KEY,
      API_PORT: String(port),
      API_HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      // The load is the point here, not the limits.
      RATE_LIMIT_USER_PER_MINUTE: "100000",
      RATE_LIMIT_GROUP_PER_MINUTE: "100000",
      ...env,
    },
  });
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err = (err + d.toString()).slice(-3000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`api did not start: ${err}`)), 120_000);
    child.stderr?.on("data", () => {
      if (/HTTP 接口已启动/.test(err)) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${port}`, child });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`api exited (${code}): ${err}`));
    });
  });
}

async function stopAll(procs: Proc[]): Promise<void> {
  await Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
          p.child.once("exit", () => resolve());
          p.child.kill("SIGTERM");
        }),
    ),
  );
}

interface Result {
  messages: number;
  seconds: number;
  latencies: number[];
  errors: number;
  busy: number;
  filed: number;
}

/** Every resident tells one complaint; turns go round-robin over the live processes. */
async function drive(
  procs: () => Proc[],
  tag: string,
  during?: (done: number) => void,
): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  let busy = 0;
  let filed = 0;
  let rr = 0;
  let next = 0;
  let finished = 0;
  const started = performance.now();

  async function send(
    body: Record<string, unknown>,
  ): Promise<{ kind: string; text: string } | undefined> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const list = procs();
      const target = list[rr++ % list.length] as Proc;
      const t0 = performance.now();
      try {
        const res = await fetch(`${target.url}/api/messages`, {
          method: "POST",
          headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
        latencies.push(performance.now() - t0);
        if (res.status === 503) {
          busy++;
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        if (res.status !== 200) {
          errors++;
          return undefined;
        }
        return (await res.json()) as { kind: string; text: string };
      } catch {
        // A killed process: the app resends the same message elsewhere.
        errors++;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return undefined;
  }

  async function resident(i: number): Promise<void> {
    const base = {
      platform: "bench",
      conversationId: `${tag}-${i}`,
      chatType: "private",
      senderId: `${tag}-${i}`,
    };
    const district = DISTRICTS[i % DISTRICTS.length];
    const community = COMMUNITIES[i % COMMUNITIES.length];
    let reply = await send({
      ...base,
      messageId: "m0",
      text: `我要投诉，${district}${community}物业一直不修电梯`,
    });
    for (let seq = 1; reply && reply.kind !== "complaint_filed" && seq < 8; seq++) {
      const text =
        reply.kind === "complaint_confirm"
          ? "确认"
          : /区县|哪个区/.test(reply.text)
            ? (district as string)
            : /小区/.test(reply.text)
              ? (community as string)
              : "匿名";
      reply = await send({ ...base, messageId: `m${seq}`, text });
    }
    if (reply?.kind === "complaint_filed") filed++;
  }

  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < RESIDENTS) {
        const i = next++;
        await resident(i);
        finished++;
        during?.(finished);
      }
    }),
  );
  return {
    messages: latencies.length,
    seconds: (performance.now() - started) / 1000,
    latencies,
    errors,
    busy,
    filed,
  };
}

function row(label: string, r: Result): string {
  const p = (q: number) =>
    percentile(r.latencies, q * 100)
      .toFixed(0)
      .padStart(7);
  return `${label.padEnd(24)}${(r.messages / r.seconds).toFixed(1).padStart(10)}${p(0.5)}${p(0.95)}${String(r.filed).padStart(8)}${String(r.busy).padStart(7)}${String(r.errors).padStart(7)}`;
}

console.error("建立索引（一次）…");
await openKnowledgeBase({ indexDir: join(dataDir, "index") });
const pgServer = await startPostgres();
let open311: Open311Server | undefined;
const lines: string[] = [];
try {
  const header = `${"配置".padEnd(22)}${"消息/秒".padStart(8)}${"p50 ms".padStart(7)}${"p95 ms".padStart(7)}${"已登记".padStart(5)}${"503".padStart(7)}${"错误".padStart(5)}`;
  console.log(
    `负载：${RESIDENTS} 位居民各登记一件投诉（约 3 条消息），并发 ${CONCURRENCY}，${(await import("node:os")).cpus().length} 个 CPU 核`,
  );
  console.log(header);

  const configs: [string, number, () => Promise<Record<string, string>>][] = [
    [
      "SQLite × 1 进程",
      1,
      async () => ({ CASEBOOK_PATH: join(dataDir, `casebook-${Date.now()}.sqlite`) }),
    ],
    ["PostgreSQL × 1 进程", 1, async () => ({ DATABASE_URL: await pgServer.createDatabase() })],
    ["PostgreSQL × 2 进程", 2, async () => ({ DATABASE_URL: await pgServer.createDatabase() })],
    ["PostgreSQL × 4 进程", 4, async () => ({ DATABASE_URL: await pgServer.createDatabase() })],
  ];
  for (const [label, n, env] of configs) {
    const e = await env();
    const procs = await Promise.all(Array.from({ length: n }, () => startApi(e)));
    try {
      const line = row(label, await drive(() => procs, `c${n}${label.length}`));
      console.log(line);
      lines.push(line);
    } finally {
      await stopAll(procs);
    }
  }

  // Delivery under a kill: two processes, a loopback Open311 server, one SIGKILL mid-run.
  open311 = await startOpen311Server();
  const url = await pgServer.createDatabase();
  const env = {
    DATABASE_URL: url,
    OPEN311_ENDPOINT: open311.endpoint,
    OPEN311_API_KEY: open311.apiKey,
    DELIVERY_RETRY_SCHEDULE: "0,1",
  };
  const procs = await Promise.all([startApi(env), startApi(env)]);
  let live = [...procs];
  let killed = false;
  const result = await drive(
    () => live,
    "kill",
    (done) => {
      if (!killed && done >= RESIDENTS / 2) {
        killed = true;
        procs[0]?.child.kill("SIGKILL");
        live = [procs[1] as Proc];
      }
    },
  );
  // The survivor's worker delivers what the dead one left, once its leases run out.
  const store = await PgCaseStore.open(url, ["open311"]);
  const deadline = Date.now() + 300_000;
  let pending = -1;
  while (Date.now() < deadline) {
    const { rows } = await store.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE state <> 'delivered'",
    );
    pending = rows[0]?.n ?? -1;
    if (pending === 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const { rows } = await store.pool.query<{ cases: number; reclaimed: number }>(
    "SELECT (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM outbox WHERE claims > 1) AS reclaimed",
  );
  await store.close();
  await stopAll(live);
  const requests = open311.requests.length;
  const posts = open311.posts.length;
  const repeats = open311.posts.filter((p) => p.repeat).length;
  console.log(
    `\n投递（PostgreSQL × 2 进程，运行到一半 SIGKILL 一个）：登记 ${rows[0]?.cases} 件，居民收到编号 ${result.filed} 件，送达后端 ${requests} 件（POST ${posts} 次，其中重复 ${repeats} 次、均为被杀进程已发出但未记下的），租约过期后重新领取 ${rows[0]?.reclaimed} 条，未送达 ${pending} 条`,
  );
} finally {
  await open311?.close();
  await pgServer.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
