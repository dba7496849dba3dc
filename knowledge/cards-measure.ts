/**
 * Measures answer-card matching on question datasets (CONTRACTS §3) and
 * prints aggregate figures per threshold, never items, so the threshold is
 * chosen from figures rather than from reading evaluation questions.
 *
 *   npx tsx knowledge/cards-measure.ts eval/datasets/tuning/*.jsonl [--sources dir]
 *
 * Prints the figures for match(question, hits) and for match(question) alone.
 * precision: matched answerable questions whose card cites a gold unit;
 * coverage: answerable questions that got a card; false_match: out-of-scope
 * and adversarial questions that got a card.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type CardMatch, createCardIndex, MATCH_THRESHOLDS } from "./cards.ts";
import { openKnowledgeBase } from "./knowledge-base.ts";

interface Question {
  question: string;
  kind: "answerable" | "out_of_scope" | "adversarial";
  gold: string[];
}

const args = process.argv.slice(2);
const sourcesAt = args.indexOf("--sources");
const sources = sourcesAt >= 0 ? args[sourcesAt + 1] : undefined;
const files = args.filter((a, i) => !a.startsWith("--") && (sourcesAt < 0 || i !== sourcesAt + 1));

const questions: Question[] = files.flatMap((f) =>
  readFileSync(f, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Partial<Question>)
    .filter((q): q is Question => typeof q.question === "string"),
);

const kb = await openKnowledgeBase(sources ? { sourcesDir: resolve(sources), indexDir: null } : {});
const cards = createCardIndex(kb);
const scored: { q: Question; withHits?: CardMatch; lexical?: CardMatch }[] = [];
for (const q of questions) {
  const { hits } = await kb.retriever.search(q.question, { limit: 3 });
  scored.push({ q, withHits: cards.match(q.question, hits), lexical: cards.match(q.question) });
}

const share = (a: number, b: number) => (b === 0 ? 0 : Number((a / b).toFixed(3)));
function figures(pick: (x: (typeof scored)[number]) => CardMatch | undefined) {
  const answerable = scored.filter((x) => x.q.kind === "answerable");
  const matched = answerable.filter((x) => pick(x));
  const right = matched.filter((x) =>
    pick(x)?.card.citations.some((c) => x.q.gold.includes(c.key)),
  );
  const declined = scored.filter((x) => x.q.kind !== "answerable");
  return {
    answerable: answerable.length,
    coverage: share(matched.length, answerable.length),
    precision: share(right.length, matched.length),
    not_answerable: declined.length,
    false_match: share(declined.filter((x) => pick(x)).length, declined.length),
  };
}

console.log(
  JSON.stringify(
    {
      cards: cards.cards.length,
      thresholds: MATCH_THRESHOLDS,
      with_retrieval: figures((x) => x.withHits),
      lexical_only: figures((x) => x.lexical),
    },
    null,
    1,
  ),
);
