import { findDistricts } from "./gazetteer.ts";

/**
 * A multinomial naive Bayes text classifier over character 1–3-grams, small
 * enough to train in a few milliseconds and to read: every decision is a sum
 * of per-feature weights that `topFeatures` prints.
 *
 * Character n-grams rather than jieba words: they cover the words (物业费 is
 * 物/业/费/物业/业费/物业费) and survive typos and dialect spellings, and they
 * need no second 55 MB segmenter dictionary in the process.
 */

export interface Example<L extends string> {
  text: string;
  label: L;
}

/** Document counts: for each feature, in how many training texts of each class it occurs. */
export interface NaiveBayesCounts<L extends string> {
  labels: readonly L[];
  /** Training texts per class. */
  docs: number[];
  /** Sum over the class's texts of their distinct feature counts. */
  tokens: number[];
  features: FeatureTable;
}

/** Per-feature counts by class; a Map does, or a packed table read from the model file. */
export interface FeatureTable {
  readonly size: number;
  get(feature: string): ArrayLike<number> | undefined;
  keys(): Iterable<string>;
}

export interface NaiveBayesOptions<L extends string> {
  /** Additive smoothing. */
  alpha: number;
  /** Class priors; default: the training distribution. */
  priors?: Partial<Record<L, number>>;
  /** Features seen in fewer training texts are dropped (rare n-grams are mostly noise). */
  minDocs: number;
}

const HAN_OR_WORD = /[\p{Script=Han}a-z0-9#]+/gu;

/**
 * What the model sees of a text: lower case, digits as #, the county-level
 * place names blanked (where the problem is says nothing about what it is).
 */
export function normalizeForModel(text: string): string {
  let out = text.normalize("NFKC").toLowerCase();
  for (const m of findDistricts(out)) {
    out = out.slice(0, m.index) + " ".repeat(m.alias.length) + out.slice(m.index + m.alias.length);
  }
  return out.replace(/[0-9]+/g, "#");
}

/** Each character n-gram (1–3) of each run of Han/alphanumeric characters, with where it is. */
function ngrams(text: string): { feature: string; start: number; end: number }[] {
  const out: { feature: string; start: number; end: number }[] = [];
  let offset = 0;
  for (const run of normalizeForModel(text).match(HAN_OR_WORD) ?? []) {
    const chars = [...run];
    for (let n = 1; n <= 3; n++) {
      for (let i = 0; i + n <= chars.length; i++)
        out.push({
          feature: chars.slice(i, i + n).join(""),
          start: offset + i,
          end: offset + i + n,
        });
    }
    // Runs are kept apart so n-grams never span two of them.
    offset += chars.length + 1;
  }
  return out;
}

/** Distinct character n-grams (1–3) of each run of Han/alphanumeric characters. */
export function features(text: string): string[] {
  return [...new Set(ngrams(text).map((g) => g.feature))];
}

export function countFeatures<L extends string>(
  labels: readonly L[],
  examples: Example<L>[],
  minDocs: number,
): NaiveBayesCounts<L> {
  const index = new Map(labels.map((l, i) => [l, i]));
  const docs = labels.map(() => 0);
  const raw = new Map<string, number[]>();
  const perDoc: [number, string[]][] = [];
  for (const ex of examples) {
    const c = index.get(ex.label);
    if (c === undefined) throw new Error(`unknown label ${ex.label}`);
    docs[c] = (docs[c] ?? 0) + 1;
    const fs = features(ex.text);
    perDoc.push([c, fs]);
    for (const f of fs) {
      let row = raw.get(f);
      if (!row) {
        row = labels.map(() => 0);
        raw.set(f, row);
      }
      row[c] = (row[c] ?? 0) + 1;
    }
  }
  const kept = new Map<string, number[]>();
  for (const [f, row] of [...raw.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (row.reduce((s, x) => s + x, 0) >= minDocs) kept.set(f, row);
  }
  const tokens = labels.map(() => 0);
  for (const [c, fs] of perDoc) {
    tokens[c] = (tokens[c] ?? 0) + fs.filter((f) => kept.has(f)).length;
  }
  return { labels, docs, tokens, features: kept };
}

export interface Prediction<L extends string> {
  label: L;
  /** Posterior probability of each class, in `labels` order. */
  probabilities: Record<L, number>;
  /**
   * Stretches of the text made of known n-grams that lean clearly towards one
   * class: roughly, how many topic words (物业费, 业委会, 消防通道) it holds.
   */
  evidence: number;
}

export interface FeatureWeight {
  feature: string;
  /** log P(feature | class) − mean over classes of log P(feature | ·). */
  weight: number;
  docs: number;
}

/** Features that count as evidence lean at least this much (log ratio) towards one class. */
const EVIDENCE_LEAN = 2;

/**
 * A trained model. Log-probabilities are worked out per feature when a text
 * needs them, so loading costs no more than reading the counts.
 */
export class NaiveBayes<L extends string> {
  readonly labels: readonly L[];
  private readonly logPrior: number[];
  private readonly logDenominator: number[];
  private readonly counts: NaiveBayesCounts<L>;
  private readonly alpha: number;

  constructor(counts: NaiveBayesCounts<L>, options: Omit<NaiveBayesOptions<L>, "minDocs">) {
    this.labels = counts.labels;
    this.counts = counts;
    this.alpha = options.alpha;
    const total = counts.docs.reduce((s, x) => s + x, 0);
    this.logPrior = counts.labels.map((l, i) =>
      Math.log(options.priors?.[l] ?? (counts.docs[i] ?? 0) / total),
    );
    const vocabulary = counts.features.size;
    this.logDenominator = counts.tokens.map((t) => Math.log(t + options.alpha * vocabulary));
  }

  /** log P(feature | class) for each class, or undefined for an unseen feature. */
  private logLikelihood(feature: string): number[] | undefined {
    const row = this.counts.features.get(feature);
    if (!row) return undefined;
    return this.logDenominator.map((d, i) => Math.log((row[i] ?? 0) + this.alpha) - d);
  }

  private docs(feature: string): number {
    const row = this.counts.features.get(feature);
    let n = 0;
    for (let i = 0; row && i < row.length; i++) n += row[i] ?? 0;
    return n;
  }

  predict(text: string): Prediction<L> {
    const scores = [...this.logPrior];
    const seen = new Set<string>();
    // Characters covered by n-grams that clearly lean one way; each stretch of them is one cue.
    const covered = new Set<number>();
    for (const { feature, start, end } of ngrams(text)) {
      const ll = this.logLikelihood(feature);
      if (!ll) continue;
      if (!seen.has(feature)) {
        seen.add(feature);
        for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] ?? 0) + (ll[i] ?? 0);
      }
      // Single characters and rare n-grams say little on their own.
      if (end - start >= 2 && this.docs(feature) >= 3 && lean(ll) >= EVIDENCE_LEAN)
        for (let i = start; i < end; i++) covered.add(i);
    }
    let evidence = 0;
    for (const i of covered) if (!covered.has(i - 1)) evidence++;
    const max = Math.max(...scores);
    const exp = scores.map((s) => Math.exp(s - max));
    const sum = exp.reduce((s, x) => s + x, 0);
    const probabilities = Object.fromEntries(
      this.labels.map((l, i) => [l, (exp[i] ?? 0) / sum]),
    ) as Record<L, number>;
    const best = scores.indexOf(max);
    return { label: this.labels[best] as L, probabilities, evidence };
  }

  /** The features that most favour each class, for review. */
  topFeatures(label: L, n: number, minDocs = 3): FeatureWeight[] {
    const c = this.labels.indexOf(label);
    const out: FeatureWeight[] = [];
    for (const feature of this.counts.features.keys()) {
      const docs = this.docs(feature);
      if (docs < minDocs || [...feature].length < 2) continue;
      const ll = this.logLikelihood(feature) ?? [];
      const mean = ll.reduce((s, x) => s + x, 0) / ll.length;
      out.push({ feature, weight: (ll[c] ?? 0) - mean, docs });
    }
    return out.sort((a, b) => b.weight - a.weight).slice(0, n);
  }
}

/** How far the most likely class stands above the mean over classes. */
function lean(ll: number[]): number {
  return Math.max(...ll) - ll.reduce((s, x) => s + x, 0) / ll.length;
}

export function trainNaiveBayes<L extends string>(
  labels: readonly L[],
  examples: Example<L>[],
  options: NaiveBayesOptions<L>,
): NaiveBayes<L> {
  return new NaiveBayes(countFeatures(labels, examples, options.minDocs), options);
}

export interface CrossValidation<L extends string> {
  accuracy: number;
  /** Per true class: recall (share of its texts predicted correctly). */
  recall: Record<L, number>;
  /** confusion[true][predicted] = count. */
  confusion: Record<L, Record<L, number>>;
}

/**
 * Deterministic stratified fold assignment: within each class, every k-th
 * example goes to the same fold, after a fixed shuffle so file order (which
 * groups similar sentences) does not decide the folds.
 */
export function assignFolds<L extends string>(examples: Example<L>[], k: number): number[] {
  const folds = new Array<number>(examples.length).fill(0);
  const byLabel = new Map<L, number[]>();
  examples.forEach((ex, i) => {
    byLabel.set(ex.label, [...(byLabel.get(ex.label) ?? []), i]);
  });
  for (const indices of byLabel.values()) {
    const shuffled = shuffle(indices, 20241201);
    shuffled.forEach((idx, j) => {
      folds[idx] = j % k;
    });
  }
  return folds;
}

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  const next = () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** k-fold cross-validation of a training procedure on labelled examples. */
export function crossValidate<L extends string>(
  labels: readonly L[],
  examples: Example<L>[],
  k: number,
  train: (fold: Example<L>[]) => (text: string) => L,
): CrossValidation<L> {
  const folds = assignFolds(examples, k);
  const confusion = Object.fromEntries(
    labels.map((t) => [t, Object.fromEntries(labels.map((p) => [p, 0]))]),
  ) as Record<L, Record<L, number>>;
  let correct = 0;
  for (let f = 0; f < k; f++) {
    const predict = train(examples.filter((_, i) => folds[i] !== f));
    examples.forEach((ex, i) => {
      if (folds[i] !== f) return;
      const got = predict(ex.text);
      confusion[ex.label][got] += 1;
      if (got === ex.label) correct++;
    });
  }
  const recall = Object.fromEntries(
    labels.map((l) => {
      const row = confusion[l];
      const n = labels.reduce((s, p) => s + row[p], 0);
      return [l, n === 0 ? 0 : row[l] / n];
    }),
  ) as Record<L, number>;
  return { accuracy: correct / examples.length, recall, confusion };
}
