import modelFile from "../../knowledge/intake/model.json" with { type: "json" };
import { CATEGORIES, type Category, URGENCIES, type Urgency } from "../complaint.ts";
import {
  countFeatures,
  type Example,
  type FeatureTable,
  NaiveBayes,
  type NaiveBayesCounts,
  type NaiveBayesOptions,
} from "./classifier.ts";

/**
 * The two intake models (category, urgency), trained on the reviewed
 * sentences in knowledge/intake/training/ and cached as counts in
 * knowledge/intake/model.json (`npx tsx bot/intake/classifier-cli.ts build`;
 * a test fails when the cache is older than the sentences).
 */

/**
 * Every category is a priori equally likely: the training set's balance is
 * the writers' choice, not how often residents complain about each.
 *
 * An n-gram seen in a single sentence is that sentence's wording, not a cue:
 * dropping them costs half a point of cross-validated accuracy on ~3,200
 * sentences and keeps the model file a third of the size (under the
 * formatter's 1 MiB limit).
 */
export const CATEGORY_OPTIONS: NaiveBayesOptions<Category> = {
  alpha: 0.3,
  minDocs: 2,
  priors: Object.fromEntries(CATEGORIES.map((c) => [c, 1 / CATEGORIES.length])),
};

/**
 * Urgency keeps the training distribution: most complaints are not urgent.
 * Heavier smoothing than for the category: with the rarer n-grams dropped,
 * a light one let the few hazard words of the smaller high class outweigh a
 * whole ordinary sentence (neighbours' noise read as high).
 */
export const URGENCY_OPTIONS: NaiveBayesOptions<Urgency> = { alpha: 1, minDocs: 2 };

export interface TrainingExample {
  text: string;
  category: Category;
  urgency: Urgency;
}

export function categoryExamples(lines: TrainingExample[]): Example<Category>[] {
  return lines.map((l) => ({ text: l.text, label: l.category }));
}

export function urgencyExamples(lines: TrainingExample[]): Example<Urgency>[] {
  return lines.map((l) => ({ text: l.text, label: l.urgency }));
}

/**
 * Both models' counts, as strings so the file loads fast (no object per
 * feature): the features one a line, then each model's counts as one comma
 * list, feature by feature, class by class.
 */
export interface ModelFile {
  version: number;
  examples: number;
  categories: string[];
  urgencies: string[];
  docs: { category: number[]; urgency: number[] };
  tokens: { category: number[]; urgency: number[] };
  features: string;
  categoryCounts: string;
  urgencyCounts: string;
}

export function buildModelFile(lines: TrainingExample[]): ModelFile {
  const category = countFeatures(CATEGORIES, categoryExamples(lines), CATEGORY_OPTIONS.minDocs);
  const urgency = countFeatures(URGENCIES, urgencyExamples(lines), URGENCY_OPTIONS.minDocs);
  const names = [...category.features.keys()];
  const flat = (m: FeatureTable) => names.flatMap((f) => Array.from(m.get(f) ?? [])).join(",");
  return {
    version: 2,
    examples: lines.length,
    categories: [...CATEGORIES],
    urgencies: [...URGENCIES],
    docs: { category: category.docs, urgency: urgency.docs },
    tokens: { category: category.tokens, urgency: urgency.tokens },
    features: names.join("\n"),
    categoryCounts: flat(category.features),
    urgencyCounts: flat(urgency.features),
  };
}

/** Where each feature's counts are, shared by both models. */
export interface FeatureIndex {
  readonly size: number;
  get(feature: string): number | undefined;
  keys(): Iterable<string>;
}

/**
 * The model file lists its features in code-unit order (see countFeatures),
 * so a lookup is a binary search over the list: no Map of twenty thousand
 * entries to build at every start.
 */
class SortedFeatures implements FeatureIndex {
  constructor(private readonly names: readonly string[]) {}
  get size(): number {
    return this.names.length;
  }
  get(feature: string): number | undefined {
    let lo = 0;
    let hi = this.names.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const name = this.names[mid] as string;
      if (name === feature) return mid;
      if (name < feature) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
  keys(): Iterable<string> {
    return this.names;
  }
}

/** The features in strictly increasing order can be searched; any other list gets a Map. */
export function featureIndex(names: string[]): FeatureIndex {
  for (let i = 1; i < names.length; i++)
    if (!((names[i - 1] as string) < (names[i] as string)))
      return new Map(names.map((f, i) => [f, i]));
  return new SortedFeatures(names);
}

/** Counts packed in one array, looked up through an index shared by both models. */
export class PackedTable implements FeatureTable {
  constructor(
    private readonly index: FeatureIndex,
    private readonly values: Int32Array,
    private readonly width: number,
  ) {
    if (values.length !== index.size * width) throw new Error("intake model counts do not match");
  }
  get size(): number {
    return this.index.size;
  }
  get(feature: string): ArrayLike<number> | undefined {
    const i = this.index.get(feature);
    return i === undefined ? undefined : this.values.subarray(i * this.width, (i + 1) * this.width);
  }
  keys(): Iterable<string> {
    return this.index.keys();
  }
}

/**
 * Counts cached as [feature, counts][] (the scope and guard models) packed
 * into one typed array behind a sorted index: a few megabytes instead of an
 * object per feature.
 */
export function packEntries(entries: [string, number[]][], width: number): FeatureTable {
  const sorted = [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const values = new Int32Array(sorted.length * width);
  sorted.forEach(([, counts], i) => {
    for (let k = 0; k < width; k++) values[i * width + k] = counts[k] ?? 0;
  });
  return new PackedTable(featureIndex(sorted.map(([f]) => f)), values, width);
}

/**
 * A model trained on first use from reviewed examples, its counts cached
 * (by `cache`, which calls `examples` only when nothing is cached) so a start reads them instead of
 * counting again, and packed into one typed array.
 */
export function cachedNaiveBayes<L extends string>(
  labels: readonly L[],
  examples: () => Example<L>[],
  options: NaiveBayesOptions<L>,
  cache: (compute: () => CachedCounts) => CachedCounts,
): NaiveBayes<L> {
  const counts = cache(() => {
    const c = countFeatures(labels, examples(), options.minDocs);
    return {
      docs: c.docs,
      tokens: c.tokens,
      features: [...c.features.keys()].map((f) => [f, Array.from(c.features.get(f) ?? [])]),
    };
  });
  return new NaiveBayes<L>(
    {
      labels,
      docs: counts.docs,
      tokens: counts.tokens,
      features: packEntries(counts.features, labels.length),
    },
    options,
  );
}

export interface CachedCounts {
  docs: number[];
  tokens: number[];
  features: [string, number[]][];
}

/** A comma list of integers, read without making a string per number. */
function parseCounts(flat: string): Int32Array {
  let commas = 0;
  for (let i = 0; i < flat.length; i++) if (flat.charCodeAt(i) === 44) commas++;
  const out = new Int32Array(flat.length === 0 ? 0 : commas + 1);
  let n = 0;
  let k = 0;
  for (let i = 0; i < flat.length; i++) {
    const c = flat.charCodeAt(i);
    if (c === 44) {
      out[k++] = n;
      n = 0;
    } else n = n * 10 + (c - 48);
  }
  if (flat.length > 0) out[k] = n;
  return out;
}

export function readModelFile(file: ModelFile): {
  category: NaiveBayesCounts<Category>;
  urgency: NaiveBayesCounts<Urgency>;
} {
  if (file.categories.join() !== CATEGORIES.join() || file.urgencies.join() !== URGENCIES.join())
    throw new Error("intake model labels changed: rebuild it");
  const index = featureIndex(file.features.split("\n"));
  return {
    category: {
      labels: CATEGORIES,
      docs: file.docs.category,
      tokens: file.tokens.category,
      features: new PackedTable(index, parseCounts(file.categoryCounts), CATEGORIES.length),
    },
    urgency: {
      labels: URGENCIES,
      docs: file.docs.urgency,
      tokens: file.tokens.urgency,
      features: new PackedTable(index, parseCounts(file.urgencyCounts), URGENCIES.length),
    },
  };
}

let loaded: { category: NaiveBayes<Category>; urgency: NaiveBayes<Urgency> } | undefined;

/** The shipped models, built once on first use. */
export function intakeModels(): { category: NaiveBayes<Category>; urgency: NaiveBayes<Urgency> } {
  if (!loaded) {
    const counts = readModelFile(modelFile as ModelFile);
    loaded = {
      category: new NaiveBayes(counts.category, CATEGORY_OPTIONS),
      urgency: new NaiveBayes(counts.urgency, URGENCY_OPTIONS),
    };
  }
  return loaded;
}
