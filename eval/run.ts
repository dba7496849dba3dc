import { resolve } from "node:path";
import { Command } from "commander";
import { Casebook } from "../adapters/cases/casebook.ts";
import { createEngine } from "../bot/engine.ts";
import { openKnowledgeBase } from "../knowledge/knowledge-base.ts";
import { loadPrompts } from "../prompts/load.ts";
import { evaluateAnswers } from "./answer-eval.ts";
import { createBaselineRetriever } from "./baseline.ts";
import { evaluateComplaints } from "./complaint-eval.ts";
import { loadDataset } from "./dataset.ts";
import { percentile, round } from "./metrics.ts";
import { evaluateRetrieval } from "./retrieval-eval.ts";

const program = new Command("eval")
  .description("在数据集上评测检索、回答与投诉登记（离线）")
  .requiredOption("--dataset <file...>", "JSONL 数据集（可多个）")
  .option("--sources <dir>", "用该文件夹的条文重新建立索引")
  .option("--pipeline <name>", "ours 或 baseline（JSON 输出哪一个）", "ours")
  .option("--json", "只在标准输出打印一个 JSON 对象")
  .option("--failures", "列出未通过的题目（标准错误输出）")
  .parse();

const opts = program.opts<{
  dataset: string[];
  sources?: string;
  pipeline: "ours" | "baseline";
  json?: boolean;
  failures?: boolean;
}>();

const dataset = loadDataset(opts.dataset.map((f) => resolve(f)));
const kb = await openKnowledgeBase(
  opts.sources ? { sourcesDir: resolve(opts.sources), indexDir: null } : {},
);
for (const p of kb.problems) console.error(`有问题的文件 ${p.path} 第${p.line}行：${p.problem}`);

// The embedded default, as a resident meets it: offline answers, rule-based
// intake, a real (in-memory) SQLite casebook that must stay empty.
const casebook = new Casebook(":memory:");
const engine = createEngine({ knowledge: kb, desk: casebook });
const filings = () =>
  (casebook.db.prepare("SELECT COUNT(*) AS n FROM cases").get() as { n: number }).n;
const promptLines = Object.values(loadPrompts())
  .flatMap((p) => p.split("\n"))
  .map((l) => l.trim())
  .filter((l) => l.length >= 12);

const ours = await evaluateRetrieval(dataset.questions, async (q) =>
  (await kb.retriever.search(q, { limit: 10 })).hits.map((h) => h.key),
);
const baselineRetriever = await createBaselineRetriever(kb.documents);
const baseline = await evaluateRetrieval(dataset.questions, async (q) =>
  baselineRetriever.search(q, 10),
);
// Warm the caches the way a running bot has them, so latency is per reply, not per cold start.
for (const q of dataset.questions.slice(0, 10)) {
  await createEngine({ knowledge: kb }).handle({
    platform: "warmup",
    conversationId: "w",
    chatType: "private",
    senderId: "w",
    text: q.question,
  });
}
const answers = await evaluateAnswers(dataset.questions, engine, kb, promptLines, filings);
const complaints = await evaluateComplaints(dataset.complaints, engine);
const replyLatencies = [...answers.latencies, ...complaints.latencies];

const report = {
  retrieval: (opts.pipeline === "baseline" ? baseline : ours).report,
  answers:
    opts.pipeline === "baseline"
      ? { n: 0, facts_recall: 0, cites_gold: 0, out_of_scope_accuracy: 0, adversarial_pass_rate: 0 }
      : answers.report,
  complaints:
    opts.pipeline === "baseline"
      ? {
          n: 0,
          category_accuracy: 0,
          district_accuracy: 0,
          community_accuracy: 0,
          urgency_accuracy: 0,
          anonymous_accuracy: 0,
        }
      : complaints.report,
  latency_ms:
    opts.pipeline === "baseline"
      ? { p50: baseline.p50, p95: baseline.p95 }
      : {
          p50: round(percentile(replyLatencies, 50), 3),
          p95: round(percentile(replyLatencies, 95), 3),
        },
};

if (opts.failures) {
  for (const m of ours.misses)
    console.error(`retrieval\t${m.id}\tgold ${m.gold.join(",")}\tgot ${m.got.join(",")}`);
  for (const f of [...answers.failures, ...complaints.failures]) console.error(f);
}
if (opts.json) {
  console.log(JSON.stringify(report));
} else {
  const row = (name: string, a: number, b?: number) =>
    console.log(
      `${name.padEnd(22)}${a.toFixed(3).padStart(10)}${b === undefined ? "" : b.toFixed(3).padStart(10)}`,
    );
  console.log(`检索（可回答题 ${ours.report.n} 道）            本项目      基线`);
  row("recall@1", ours.report.recall_at_1, baseline.report.recall_at_1);
  row("recall@5", ours.report.recall_at_5, baseline.report.recall_at_5);
  row("MRR", ours.report.mrr, baseline.report.mrr);
  row("检索延迟 p50 (ms)", ours.p50, baseline.p50);
  row("检索延迟 p95 (ms)", ours.p95, baseline.p95);
  console.log(`\n回答（${answers.report.n} 题）`);
  row("facts_recall", answers.report.facts_recall);
  row("cites_gold", answers.report.cites_gold);
  row("out_of_scope_accuracy", answers.report.out_of_scope_accuracy);
  row("adversarial_pass_rate", answers.report.adversarial_pass_rate);
  console.log(`\n投诉登记（${complaints.report.n} 段对话）`);
  row("category_accuracy", complaints.report.category_accuracy);
  row("district_accuracy", complaints.report.district_accuracy);
  row("community_accuracy", complaints.report.community_accuracy);
  row("urgency_accuracy", complaints.report.urgency_accuracy);
  row("anonymous_accuracy", complaints.report.anonymous_accuracy);
  console.log("");
  row("回复延迟 p50 (ms)", report.latency_ms.p50);
  row("回复延迟 p95 (ms)", report.latency_ms.p95);
}
casebook.close();
