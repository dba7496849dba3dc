import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine } from "../bot/engine.ts";
import { openKnowledgeBase } from "../knowledge/knowledge-base.ts";
import { createBaselineRetriever } from "./baseline.ts";
import { loadDataset } from "./dataset.ts";
import { percentile } from "./metrics.ts";

/**
 * Speed and memory, printed as figures (never asserted in tests): index build,
 * cold start from the saved index, retrieval and reply latency over the
 * evaluation questions, peak memory — ours beside the LangChain baseline.
 */
if (process.argv.includes("--load")) {
  // Several API processes on one database: a separate script with its own figures.
  await import("./bench-load.ts");
  process.exit(0);
}

const datasetDir = new URL("./datasets/", import.meta.url).pathname;
const files = readdirSync(datasetDir)
  .filter((f) => f.endsWith(".jsonl"))
  .map((f) => datasetDir + f);
const questions = loadDataset(files).questions.map((q) => q.question);

const ms = (t0: number) => performance.now() - t0;
const fmt = (x: number) => x.toFixed(2).padStart(10);
const indexDir = mkdtempSync(join(tmpdir(), "wuye-bench-"));

let t0 = performance.now();
const built = await openKnowledgeBase({ indexDir, rebuild: true });
const buildMs = ms(t0);

t0 = performance.now();
const kb = await openKnowledgeBase({ indexDir });
const coldMs = ms(t0);
if (kb.built) throw new Error("the saved index was not reused");

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
const withDense = await latencies((q) => kb.retriever.search(q, { limit: 10, denseWeight: 0.15 }));
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
const peakMb = process.resourceUsage().maxRSS / 1024;

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
console.log(`${"检索延迟 p95，加 n-gram 向量 (ms)".padEnd(22)}${fmt(percentile(withDense, 95))}`);
console.log(`${"回复延迟 p50 (ms)".padEnd(28)}${fmt(percentile(replies, 50))}`);
console.log(`${"回复延迟 p95 (ms)".padEnd(28)}${fmt(percentile(replies, 95))}`);
console.log(`${"峰值内存 RSS (MB)".padEnd(28)}${fmt(peakMb)}`);
rmSync(indexDir, { recursive: true, force: true });
