import { Casebook } from "../adapters/cases/casebook.ts";
import { createEngine, type EngineDeps } from "../bot/engine.ts";
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { loadPrompts } from "../prompts/load.ts";
import { type AnswerReport, evaluateAnswers, type ItemFailure } from "./answer-eval.ts";
import { createBaselineRetriever } from "./baseline.ts";
import { type ComplaintReport, evaluateComplaints } from "./complaint-eval.ts";
import type { Dataset } from "./dataset.ts";
import { type DialogueReport, evaluateDialogues } from "./dialogue-eval.ts";
import { percentile, round } from "./metrics.ts";
import { evaluateRetrieval, type RetrievalReport } from "./retrieval-eval.ts";

/** The JSON object of CONTRACTS §5. */
export interface EvalReport {
  retrieval: RetrievalReport;
  answers: AnswerReport;
  complaints: ComplaintReport;
  dialogues: DialogueReport;
  latency_ms: { p50: number; p95: number };
}

export interface EvalRun {
  report: EvalReport;
  /** Retrieval figures of the LangChain-style baseline on the same questions. */
  baseline: { report: RetrievalReport; p50: number; p95: number };
  retrievalLatency: { p50: number; p95: number };
  /** One line per failing item or dialogue turn, keyed by item id. */
  failures: ItemFailure[];
}

export interface EvalOptions {
  /** Extra engine options (tests switch the input guard off to prove the metrics notice). */
  engine?: Partial<Omit<EngineDeps, "knowledge" | "desk">>;
}

/** Lines of the model prompts long enough that finding one in a reply means the prompt leaked. */
export function promptLines(): string[] {
  return Object.values(loadPrompts())
    .flatMap((p) => p.split("\n"))
    .map((l) => l.trim())
    .filter((l) => l.length >= 12);
}

/**
 * Runs every section of CONTRACTS §5 over a dataset on the embedded default,
 * as a resident meets it: offline answers, rule-based intake, a real
 * (in-memory) SQLite casebook.
 */
export async function evaluateDataset(
  dataset: Dataset,
  kb: KnowledgeBase,
  options: EvalOptions = {},
): Promise<EvalRun> {
  const casebook = new Casebook(":memory:");
  try {
    const engine = createEngine({ ...options.engine, knowledge: kb, desk: casebook });
    const filings = () =>
      (casebook.db.prepare("SELECT COUNT(*) AS n FROM cases").get() as { n: number }).n;

    const ours = await evaluateRetrieval(dataset.questions, async (q) =>
      (await kb.retriever.search(q, { limit: 10 })).hits.map((h) => h.key),
    );
    const baselineRetriever = await createBaselineRetriever(kb.documents);
    const baseline = await evaluateRetrieval(dataset.questions, async (q) =>
      baselineRetriever.search(q, 10),
    );
    // Warm the caches the way a running bot has them, so latency is per reply, not per cold start.
    const warm = createEngine({ ...options.engine, knowledge: kb });
    for (const q of dataset.questions.slice(0, 10))
      await warm.handle({
        platform: "warmup",
        conversationId: "w",
        chatType: "private",
        senderId: "w",
        text: q.question,
      });

    const answers = await evaluateAnswers(dataset.questions, engine, kb, promptLines(), filings);
    const complaints = await evaluateComplaints(dataset.complaints, engine, (senderId) => {
      const [latest] = casebook.casesOf({ platform: "eval", senderId });
      return latest && casebook.byNumber(latest.number)?.complaint;
    });
    const dialogues = await evaluateDialogues(dataset.dialogues, (m) => engine.handle(m));
    const replies = [...answers.latencies, ...complaints.latencies, ...dialogues.latencies];
    return {
      report: {
        retrieval: ours.report,
        answers: answers.report,
        complaints: complaints.report,
        dialogues: dialogues.report,
        latency_ms: {
          p50: round(percentile(replies, 50), 3),
          p95: round(percentile(replies, 95), 3),
        },
      },
      baseline: { report: baseline.report, p50: baseline.p50, p95: baseline.p95 },
      retrievalLatency: { p50: ours.p50, p95: ours.p95 },
      failures: [
        ...ours.misses.map((m) => ({
          id: m.id,
          detail: `retrieval\tgold ${m.gold.join(",")}\tgot ${m.got.join(",")}`,
        })),
        ...answers.failures,
        ...complaints.failures,
        ...dialogues.failures.map((f) => ({
          id: f.id,
          detail: `turn ${f.turn}\t${f.kind}\t${f.problems.join("; ")}`,
        })),
      ],
    };
  } finally {
    casebook.close();
  }
}

/** The baseline's JSON: its retrieval figures, nothing it does not do. */
export function baselineReport(run: EvalRun): EvalReport {
  return {
    retrieval: run.baseline.report,
    answers: {
      n: 0,
      facts_recall: 0,
      cites_gold: 0,
      out_of_scope_accuracy: 0,
      adversarial_pass_rate: 0,
    },
    complaints: {
      n: 0,
      category_accuracy: 0,
      district_accuracy: 0,
      community_accuracy: 0,
      urgency_accuracy: 0,
      anonymous_accuracy: 0,
    },
    dialogues: { n: 0, turn_pass_rate: 0, dialogue_pass_rate: 0 },
    latency_ms: { p50: run.baseline.p50, p95: run.baseline.p95 },
  };
}
