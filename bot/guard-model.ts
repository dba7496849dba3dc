import { mostlyEnglish } from "../knowledge/english-glossary.ts";
import {
  GUARD_KINDS,
  type GuardExamples,
  type GuardKind,
  loadGuardExamples,
} from "../knowledge/guard-data.ts";
import { cachedFromShipped } from "../knowledge/scope-data.ts";
import { type NaiveBayes, trainNaiveBayes } from "./intake/classifier.ts";
import { cachedNaiveBayes } from "./intake/classifier-model.ts";

/**
 * A naive Bayes model over character n-grams that reads what the guard's
 * word lists miss: a forged 备案证明 or a neighbour's 车牌 asked for in words
 * no list holds. Trained on first use from reviewed data only; the lists
 * stay first, and the model declines only when it is all but sure.
 */
type Label = "ok" | GuardKind;
const LABELS: readonly Label[] = ["ok", ...GUARD_KINDS];

/**
 * Half the prior on "ok" and the rest shared: the sizes of the sets are the
 * writers' choice, and most messages residents send are fine.
 */
const OPTIONS = {
  alpha: 0.5,
  minDocs: 2,
  priors: Object.fromEntries(
    LABELS.map((l) => [l, l === "ok" ? 0.5 : 0.5 / GUARD_KINDS.length]),
  ) as Record<Label, number>,
};

/** How sure the model must be that a message is not fine before it declines it. */
export const DECLINE_AT = 0.999;

/**
 * Short turns (a yes, a name, a greeting) and English carry too few n-grams
 * for the model to tell a request from a reply; the lists alone read them.
 */
const MIN_CHARS = 14;

function examplesOf(examples: GuardExamples) {
  return [
    ...examples.benign.map((text) => ({ text, label: "ok" as const })),
    ...examples.declined.map((d) => ({ text: d.text, label: d.kind })),
  ];
}

export function trainGuardModel(examples: GuardExamples = loadGuardExamples()): NaiveBayes<Label> {
  return trainNaiveBayes(LABELS, examplesOf(examples), OPTIONS);
}

let model: NaiveBayes<Label> | undefined;

/** The shipped model, its counts read from the cache when the examples have not changed. */
function shippedModel(): NaiveBayes<Label> {
  return cachedNaiveBayes(
    LABELS,
    () => examplesOf(loadGuardExamples()),
    OPTIONS,
    (compute) => cachedFromShipped("guard", compute),
  );
}

/** The kind of request the model would decline, or undefined when it reads as fine. */
export function modelDecline(text: string, use?: NaiveBayes<Label>): GuardKind | undefined {
  if (text.length < MIN_CHARS || mostlyEnglish(text)) return undefined;
  model ??= shippedModel();
  const p = (use ?? model).predict(text);
  if (p.probabilities.ok > 1 - DECLINE_AT) return undefined;
  let best: GuardKind = GUARD_KINDS[0];
  for (const k of GUARD_KINDS) if (p.probabilities[k] > p.probabilities[best]) best = k;
  return best;
}
