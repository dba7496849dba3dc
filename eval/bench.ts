import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createEngine } from "../bot/engine.ts";
import { openKnowledgeBase } from "../knowledge/knowledge-base.ts";
import { loadDataset } from "./dataset.ts";
import { percentile } from "./metrics.ts";

/**
 * Speed and memory, printed as figures (never asserted in tests): index
 * build, cold start from the saved index, retrieval and reply latency over
 * the tuning questions (ours beside the LangChain baseline), and two real
 * child processes as a resident meets them: the terminal chat answering the
 * questions one after another (its peak memory) and `npm run ask` (its wall
 * time, start to exit, and on Linux its CPU time, npm's own included).
 */
if (process.argv.includes("--load")) {
  // Several API processes on one database: a separate script with its own figures.
  await import("./bench-load.ts");
  process.exit(0);
}

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const datasetDir = join(ROOT, "eval/datasets/tuning");
const files = readdirSync(datasetDir)
  .filter((f) => f.endsWith(".jsonl"))
  .map((f) => join(datasetDir, f));
const questions = loadDataset(files).questions.map((q) => q.question);

const ms = (t0: number) => performance.now() - t0;
const fmt = (x: number) => x.toFixed(2).padStart(10);
// A data folder of its own: the index the chat and ask processes start from, an empty casebook.
const dataDir = mkdtempSync(join(tmpdir(), "wuye-bench-"));
const indexDir = join(dataDir, "index");

let t0 = performance.now();
const built = await openKnowledgeBase({ indexDir, rebuild: true });
const buildMs = ms(t0);

t0 = performance.now();
const kb = await openKnowledgeBase({ indexDir });
const coldMs = ms(t0);
if (kb.built) throw new Error("the saved index was not reused");

// The baseline (LangChain's splitter) is loaded here only, never by the bot.
const { createBaselineRetriever } = await import("./baseline.ts");
t0 = performance.now();
const baseline = await createBaselineRetriever(built.documents);
const baselineBuildMs = ms(t0);

async function latencies(
  run: (q: string) => Promise<unknown> | unknown,
  rounds = 3,
): Promise<number[]> {
  for (const q of questions.slice(0, 20)) await run(q); // warm-up: JIT and lazy caches
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const s = performance.now();
      await run(q);
      out.push(ms(s));
    }
  }
  return out;
}

const ours = await latencies((q) => kb.retriever.search(q, { limit: 10 }));
const base = await latencies((q) => baseline.search(q, 10));
const engine = createEngine({ knowledge: kb });
let n = 0;
const replies = await latencies(
  (q) =>
    engine.handle({
      platform: "bench",
      conversationId: `b${n++}`,
      chatType: "private",
      senderId: `b${n}`,
      text: q,
    }),
  1,
);

/**
 * CPU time (ms) of this process's finished children and their own waited-for
 * children (Linux: /proc/self/stat cutime + cstime), undefined elsewhere. The
 * machine is shared, so CPU time says more about a start than wall time does.
 */
function childrenCpuMs(): number | undefined {
  try {
    // The command name (field 2) may hold spaces; the fields after its ")" are fixed.
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[13]) + Number(fields[14]);
    // USER_HZ is 100 on every Linux Node supports.
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a command in the bench's data folder; resolves with its wall and CPU time and children's peak RSS. */
function run(command: string, args: string[], input?: string) {
  const report = join(dataDir, "rss");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WUYE_DATA_DIR: dataDir,
    WUYE_RSS_REPORT: report,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${join(ROOT, "eval/rss-probe.mjs")}`,
  };
  for (const key of ["OPENAI_API_KEY", "OPENAI_BASE_URL", "LLM_BASE_URL", "EMBEDDINGS_MODEL"])
    delete env[key];
  return new Promise<{ wallMs: number; cpuMs: number | undefined; peakMb: number }>(
    (resolve, reject) => {
      const start = performance.now();
      const cpuBefore = childrenCpuMs();
      const child = spawn(command, args, { cwd: ROOT, env, stdio: ["pipe", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      child.stdin.end(input ?? "");
      child.on("error", reject);
      child.on("exit", (code) => {
        const wallMs = performance.now() - start;
        const cpuAfter = childrenCpuMs();
        const cpuMs =
          cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
        if (code !== 0)
          return reject(new Error(`${command} ${args.join(" ")}: ${code}\n${stderr}`));
        const reports = readdirSync(dataDir).filter((f) => f.startsWith("rss."));
        const peakKb = Math.max(
          0,
          ...reports.map((f) => Number(readFileSync(join(dataDir, f), "utf8"))),
        );
        for (const f of reports) rmSync(join(dataDir, f));
        resolve({ wallMs, cpuMs, peakMb: peakKb / 1024 });
      });
    },
  );
}

const manifest = () => readFileSync(join(indexDir, "manifest.json"), "utf8");
const builtBefore = manifest();
// The terminal chat, answering every tuning question in one conversation after another.
const chat = await run(
  process.execPath,
  ["--import", "tsx", "bin/chat.ts"],
  `${questions.map((q) => q.replace(/\s+/g, " ")).join("\n")}\n退出\n`,
);
const askQuestion = questions[0] ?? "物业费怎么交";
const asks: { wallMs: number; cpuMs: number | undefined; peakMb: number }[] = [];
for (let i = 0; i < 5; i++)
  asks.push(await run("npm", ["run", "--silent", "ask", "--", askQuestion]));
const askWall = percentile(
  asks.map((a) => a.wallMs),
  50,
);

console.log(
  `基准（${questions.length} 个问题，每项重复取样；机器：${process.platform} ${process.arch}，Node ${process.version}）`,
);
console.log(`${"".padEnd(30)}${"本项目".padStart(8)}${"基线".padStart(8)}`);
console.log(`${"建索引 (ms)".padEnd(30)}${fmt(buildMs)}${fmt(baselineBuildMs)}`);
console.log(`${"冷启动：加载已保存索引 (ms)".padEnd(26)}${fmt(coldMs)}`);
console.log(
  `${"检索延迟 p50 (ms)".padEnd(28)}${fmt(percentile(ours, 50))}${fmt(percentile(base, 50))}`,
);
console.log(
  `${"检索延迟 p95 (ms)".padEnd(28)}${fmt(percentile(ours, 95))}${fmt(percentile(base, 95))}`,
);
console.log(`${"回复延迟 p50 (ms)".padEnd(28)}${fmt(percentile(replies, 50))}`);
console.log(`${"回复延迟 p95 (ms)".padEnd(28)}${fmt(percentile(replies, 95))}`);
console.log(`${"聊天进程峰值内存 RSS (MB)".padEnd(24)}${fmt(chat.peakMb)}`);
console.log(`${"聊天进程总时长 (ms)".padEnd(27)}${fmt(chat.wallMs)}`);
console.log(`${"npm run ask 一问 (ms，5 次中位)".padEnd(23)}${fmt(askWall)}`);
const askCpu = asks.map((a) => a.cpuMs).filter((x): x is number => x !== undefined);
if (askCpu.length === asks.length)
  console.log(`${"npm run ask 一问 CPU (ms，5 次中位)".padEnd(21)}${fmt(percentile(askCpu, 50))}`);
console.log(
  `${"npm run ask 峰值内存 RSS (MB)".padEnd(24)}${fmt(Math.max(...asks.map((a) => a.peakMb)))}`,
);
if (manifest() !== builtBefore)
  console.log("注意：测量期间知识库文件有改动，子进程重建了索引，以上子进程数字偏高。");
rmSync(dataDir, { recursive: true, force: true });
