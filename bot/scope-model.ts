import {
  cachedFromShipped,
  loadScopeExamples,
  type ScopeExamples,
} from "../knowledge/scope-data.ts";
import { type NaiveBayes, trainNaiveBayes } from "./intake/classifier.ts";
import { cachedNaiveBayes } from "./intake/classifier-model.ts";

/**
 * Whether a message is about property management at all, by a naive Bayes
 * model over character n-grams: the word lists in scope.ts decide what they
 * recognise, and this model weighs what they only half recognise (a 小区 or
 * a 邻居 mentioned in passing). Trained on first use, from reviewed data only.
 */
type Side = "in" | "out";
const SIDES: readonly Side[] = ["in", "out"];

let model: NaiveBayes<Side> | undefined;

// Both sides equally likely a priori: the sizes of the two sets are the writers' choice.
const OPTIONS = { alpha: 0.5, minDocs: 2, priors: { in: 0.5, out: 0.5 } };

function examplesOf(examples: ScopeExamples) {
  return [
    ...examples.inScope.map((text) => ({ text, label: "in" as const })),
    ...examples.offTopic.map((text) => ({ text, label: "out" as const })),
  ];
}

export function trainScopeModel(examples: ScopeExamples = loadScopeExamples()): NaiveBayes<Side> {
  return trainNaiveBayes(SIDES, examplesOf(examples), OPTIONS);
}

/** The shipped model, its counts read from the cache when the examples have not changed. */
function shippedModel(): NaiveBayes<Side> {
  return cachedNaiveBayes(
    SIDES,
    () => examplesOf(loadScopeExamples()),
    OPTIONS,
    (compute) => cachedFromShipped("scope", compute),
  );
}

/** Probability that the message is off-topic, or undefined when no n-gram of it is known. */
export function offTopicProbability(text: string): number | undefined {
  model ??= shippedModel();
  const p = model.predict(text);
  return p.evidence === 0 && p.probabilities.out < 0.99 && p.probabilities.in < 0.99
    ? undefined
    : p.probabilities.out;
}
