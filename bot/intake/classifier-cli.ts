import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { Command } from "commander";
import { toSimplified } from "../../knowledge/text-normalize.ts";
import { CATEGORIES, type Category, URGENCIES, type Urgency } from "../complaint.ts";
import {
  type CrossValidation,
  crossValidate,
  type NaiveBayes,
  trainNaiveBayes,
} from "./classifier.ts";
import { MODEL_FILE, readTrainingSet } from "./classifier-data.ts";
import {
  buildModelFile,
  CATEGORY_OPTIONS,
  categoryExamples,
  intakeModels,
  URGENCY_OPTIONS,
  urgencyExamples,
} from "./classifier-model.ts";
import { assessUrgency } from "./extract.ts";

/**
 * The intake classifier's tools: rebuild the cached model from the reviewed
 * sentences, print what it learned, cross-validate it.
 *
 *   npx tsx bot/intake/classifier-cli.ts build
 *   npx tsx bot/intake/classifier-cli.ts features [--top 15]
 *   npx tsx bot/intake/classifier-cli.ts cv [--folds 10]
 *   npx tsx bot/intake/classifier-cli.ts predict "楼道配电箱冒火星子了，有股焦味"
 *   npx tsx bot/intake/classifier-cli.ts score <complaints.jsonl>   (aggregate figures only)
 */

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function printCv<L extends string>(title: string, labels: readonly L[], cv: CrossValidation<L>) {
  console.log(`\n${title}: accuracy ${pct(cv.accuracy)}`);
  const w = Math.max(...labels.map((l) => l.length)) + 2;
  console.log(
    `${"true \\ predicted".padEnd(w)}${labels.map((l) => l.slice(0, 9).padStart(10)).join("")}   recall`,
  );
  for (const t of labels) {
    const row = labels.map((p) => String(cv.confusion[t][p]).padStart(10)).join("");
    console.log(`${t.padEnd(w)}${row}   ${pct(cv.recall[t])}`);
  }
}

const program = new Command().name("classifier-cli");

program.command("build").action(() => {
  const lines = readTrainingSet();
  writeFileSync(MODEL_FILE, `${JSON.stringify(buildModelFile(lines))}\n`);
  // Laid out the way the repository's formatter checks it.
  execFileSync("npx", ["biome", "format", "--write", MODEL_FILE], { stdio: "ignore" });
  console.log(`${MODEL_FILE}: ${lines.length} sentences`);
});

program
  .command("features")
  .option("--top <n>", "features per class", "15")
  .action((opts: { top: string }) => {
    const { category, urgency } = intakeModels();
    const n = Number(opts.top);
    const show = <L extends string>(model: NaiveBayes<L>, labels: readonly L[]) => {
      for (const l of labels) {
        const top = model.topFeatures(l, n).map((f) => `${f.feature}(${f.weight.toFixed(1)})`);
        console.log(`${l.padEnd(16)}${top.join(" ")}`);
      }
    };
    console.log("category: log P(f|class) − mean over classes, features in ≥3 sentences");
    show(category, CATEGORIES);
    console.log("\nurgency:");
    show(urgency, URGENCIES);
  });

program
  .command("cv")
  .option("--folds <k>", "folds", "10")
  .action((opts: { folds: string }) => {
    const lines = readTrainingSet();
    const k = Number(opts.folds);
    const counts = new Map<string, number>();
    for (const l of lines)
      counts.set(`${l.category}/${l.urgency}`, (counts.get(`${l.category}/${l.urgency}`) ?? 0) + 1);
    console.log(`${lines.length} sentences, ${k}-fold stratified cross-validation`);
    for (const c of CATEGORIES) {
      const row = URGENCIES.map((u) => `${u} ${counts.get(`${c}/${u}`) ?? 0}`).join(", ");
      console.log(`  ${c.padEnd(16)}${lines.filter((l) => l.category === c).length}  (${row})`);
    }
    const category = crossValidate(CATEGORIES, categoryExamples(lines), k, (train) => {
      const m = trainNaiveBayes(CATEGORIES, train, CATEGORY_OPTIONS);
      return (text) => m.predict(text).label;
    });
    printCv("category (naive Bayes)", CATEGORIES, category);
    const majority = Math.max(
      ...CATEGORIES.map((c) => lines.filter((l) => l.category === c).length),
    );
    console.log(`majority-class baseline: ${pct(majority / lines.length)}`);
    const urgencyModel = crossValidate(URGENCIES, urgencyExamples(lines), k, (train) => {
      const m = trainNaiveBayes(URGENCIES, train, URGENCY_OPTIONS);
      return (text) => m.predict(text).label;
    });
    printCv("urgency (naive Bayes alone)", URGENCIES, urgencyModel);
    const urgency = crossValidate(URGENCIES, urgencyExamples(lines), k, (train) => {
      const m = trainNaiveBayes(URGENCIES, train, URGENCY_OPTIONS);
      return (text) => assessUrgency(text, m);
    });
    printCv("urgency (danger rules + naive Bayes, as the intake uses it)", URGENCIES, urgency);
  });

program
  .command("predict")
  .argument("<text>")
  .action((text: string) => {
    const { category, urgency } = intakeModels();
    const c = category.predict(text);
    const fmt = (p: Record<string, number>) =>
      Object.entries(p)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(", ");
    console.log(`category ${c.label} (evidence ${c.evidence}): ${fmt(c.probabilities)}`);
    console.log(
      `urgency ${assessUrgency(text)}; model: ${fmt(urgency.predict(text).probabilities)}`,
    );
  });

program
  .command("score")
  .description(
    "category/urgency accuracy of the classifier on a complaint set (all turns joined); prints figures only",
  )
  .argument("<file>")
  .action((file: string) => {
    const { category } = intakeModels();
    let n = 0;
    let cat = 0;
    let urg = 0;
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      const item = JSON.parse(line) as {
        turns?: unknown[];
        expected?: { category: Category; urgency: Urgency };
      };
      if (!item.expected || !Array.isArray(item.turns)) continue;
      // As the engine hands it over: in Simplified characters.
      const text = toSimplified(
        item.turns.filter((t): t is string => typeof t === "string").join("\n"),
      );
      n++;
      if (category.predict(text).label === item.expected.category) cat++;
      if (assessUrgency(text) === item.expected.urgency) urg++;
    }
    console.log(JSON.stringify({ n, category_accuracy: cat / n, urgency_accuracy: urg / n }));
  });

program.parse();
