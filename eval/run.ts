import { existsSync, readdirSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { openKnowledgeBase } from "../knowledge/knowledge-base.ts";
import { type Dataset, loadDataset } from "./dataset.ts";
import { baselineReport, type EvalReport, type EvalRun, evaluateDataset } from "./evaluate.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const TUNING_DIR = join(ROOT, "eval", "datasets", "tuning");
const HELDOUT_DIR = join(ROOT, "eval", "datasets", "heldout");
const SAMPLES_DIR = resolve(ROOT, "..", "shared", "eval-samples");

const program = new Command("eval")
  .description("在数据集上评测检索、回答、投诉登记与多轮对话（离线）")
  .option("--dataset <file...>", "JSONL 数据集（可多个）")
  .option("--sources <dir>", "用该文件夹的条文重新建立索引")
  .option("--pipeline <name>", "ours 或 baseline（JSON 输出哪一个）", "ours")
  .option("--json", "只在标准输出打印一个 JSON 对象")
  .option("--failures", "列出未通过的题目（标准错误输出；只列调参集，留出集只给数目）")
  .option("--report", "调参集、留出集与共享样例并排对照")
  .parse();

const opts = program.opts<{
  dataset?: string[];
  sources?: string;
  pipeline: "ours" | "baseline";
  json?: boolean;
  failures?: boolean;
  report?: boolean;
}>();

const jsonlIn = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".jsonl"))
        .sort()
        .map((f) => join(dir, f))
    : [];

/** Only tuning items may be shown one by one: held-out failures would turn into tuning targets. */
const isTuningFile = (file: string) => resolve(file).startsWith(TUNING_DIR + sep);

/**
 * What kind of check failed, with nothing of the item itself (no text, no
 * gold keys, no expected values): safe to print for held-out parts.
 */
function failureSignatures(detail: string): string[] {
  const [first = "", second = "", rest = ""] = detail.split("\t");
  if (first === "retrieval") return ["检索：前 10 名没有命中全部 gold"];
  if (first.startsWith("turn ")) {
    return rest.split(/;\s*/).map((p) => {
      const kind = p.match(/^kind (\S+) not in (\S+)/);
      return kind
        ? `对话：回复类型 ${kind[1]}，应为 ${kind[2]}`
        : `对话：${p.split(/\s/)[0]} 检查未通过（回复类型 ${second}）`;
    });
  }
  if (first.startsWith("out_of_scope item")) return [`超范围题：${first.split(" citing")[0]}`];
  if (first.startsWith("adversarial")) return [`对抗题：${first}`];
  if (second.startsWith("got ")) {
    // Whether something or nothing was read, and whether something was wanted: never the values.
    const got = second.slice(4);
    const gotShape = got === "no draft" ? "没有草稿" : got === "null" ? "空" : "有值";
    const wantShape = rest === "want null" ? "空" : "有值";
    return [`投诉字段 ${first} 不对（读到${gotShape}，应为${wantShape}）`];
  }
  return [`可回答题：回复类型 ${first}，未引用 gold 或事实不全`];
}

function printFailures(run: EvalRun, dataset: Dataset, label: string) {
  const withheld = new Map<string, number>();
  for (const f of run.failures) {
    const files = dataset.fileOf.get(f.id) ?? [];
    if (files.length > 0 && files.every(isTuningFile)) console.error(`${f.id}\t${f.detail}`);
    else for (const file of new Set(files)) withheld.set(file, (withheld.get(file) ?? 0) + 1);
  }
  for (const [file, n] of withheld)
    console.error(`${label}${file}：${n} 处未通过（不是调参集，不逐条列出）`);
  // Counts by the kind of check that failed: enough to see which behaviour is weak, never which item.
  const kinds = new Map<string, number>();
  for (const f of run.failures) {
    const files = dataset.fileOf.get(f.id) ?? [];
    if (files.length > 0 && files.every(isTuningFile)) continue;
    for (const sig of failureSignatures(f.detail)) kinds.set(sig, (kinds.get(sig) ?? 0) + 1);
  }
  for (const [sig, n] of [...kinds].sort((a, b) => b[1] - a[1]))
    console.error(`${label}  未通过的检查：${sig} × ${n}`);
}

const kb = await openKnowledgeBase(
  opts.sources ? { sourcesDir: resolve(opts.sources), indexDir: null } : {},
);
for (const p of kb.problems) console.error(`有问题的文件 ${p.path} 第${p.line}行：${p.problem}`);

const fmt = (x: number) => x.toFixed(3).padStart(10);

if (opts.report) {
  const parts = [
    { key: "tuning", name: "调参集", files: jsonlIn(TUNING_DIR) },
    { key: "heldout", name: "留出集", files: jsonlIn(HELDOUT_DIR) },
    { key: "samples", name: "共享样例", files: jsonlIn(SAMPLES_DIR) },
  ].filter((p) => p.files.length > 0);
  const results: { key: string; name: string; report: EvalReport }[] = [];
  for (const part of parts) {
    console.error(`评测${part.name}（${part.files.length} 个文件）…`);
    const dataset = loadDataset(part.files);
    const run = await evaluateDataset(dataset, kb);
    if (opts.failures) printFailures(run, dataset, `${part.name} `);
    results.push({ key: part.key, name: part.name, report: run.report });
  }
  if (opts.json) {
    console.log(JSON.stringify(Object.fromEntries(results.map((r) => [r.key, r.report]))));
  } else {
    const head = results.map((r) => r.name.padStart(10 - r.name.length)).join("");
    console.log(`${"".padEnd(34)}${head}`);
    const sections = ["retrieval", "answers", "complaints", "dialogues", "latency_ms"] as const;
    for (const section of sections) {
      const first = results[0]?.report[section] as Record<string, number> | undefined;
      for (const key of Object.keys(first ?? {})) {
        const cells = results.map((r) => {
          const v = (r.report[section] as Record<string, number>)[key] ?? 0;
          return key === "n" ? String(v).padStart(10) : fmt(v);
        });
        console.log(`${`${section}.${key}`.padEnd(34)}${cells.join("")}`);
      }
    }
  }
} else {
  if (!opts.dataset?.length) program.error("需要 --dataset <file.jsonl...> 或 --report");
  const files = (opts.dataset ?? []).map((f) => resolve(f));
  const dataset = loadDataset(files);
  const run = await evaluateDataset(dataset, kb);
  const report = opts.pipeline === "baseline" ? baselineReport(run) : run.report;
  if (opts.failures) printFailures(run, dataset, "");
  if (opts.json) {
    console.log(JSON.stringify(report));
  } else {
    const r = run.report;
    const row = (name: string, a: number, b?: number) =>
      console.log(`${name.padEnd(24)}${fmt(a)}${b === undefined ? "" : fmt(b)}`);
    console.log(`检索（可回答题 ${r.retrieval.n} 道）              本项目      基线`);
    row("recall@1", r.retrieval.recall_at_1, run.baseline.report.recall_at_1);
    row("recall@5", r.retrieval.recall_at_5, run.baseline.report.recall_at_5);
    row("MRR", r.retrieval.mrr, run.baseline.report.mrr);
    row("检索延迟 p50 (ms)", run.retrievalLatency.p50, run.baseline.p50);
    row("检索延迟 p95 (ms)", run.retrievalLatency.p95, run.baseline.p95);
    console.log(`\n回答（${r.answers.n} 题）`);
    row("facts_recall", r.answers.facts_recall);
    row("cites_gold", r.answers.cites_gold);
    row("out_of_scope_accuracy", r.answers.out_of_scope_accuracy);
    row("adversarial_pass_rate", r.answers.adversarial_pass_rate);
    console.log(`\n投诉登记（${r.complaints.n} 段对话）`);
    row("category_accuracy", r.complaints.category_accuracy);
    row("district_accuracy", r.complaints.district_accuracy);
    row("community_accuracy", r.complaints.community_accuracy);
    row("urgency_accuracy", r.complaints.urgency_accuracy);
    row("anonymous_accuracy", r.complaints.anonymous_accuracy);
    console.log(`\n多轮对话（${r.dialogues.n} 段）`);
    row("turn_pass_rate", r.dialogues.turn_pass_rate);
    row("dialogue_pass_rate", r.dialogues.dialogue_pass_rate);
    console.log("");
    row("回复延迟 p50 (ms)", r.latency_ms.p50);
    row("回复延迟 p95 (ms)", r.latency_ms.p95);
  }
}
