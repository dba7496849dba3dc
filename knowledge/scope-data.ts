/**
 * What residents say about property management and what they say about
 * everything else, for the scope model: the reviewed resident sentences and
 * phrases the project already keeps (intake training sentences, unit phrases,
 * card questions) on one side, and reviewed off-topic group messages
 * (knowledge/scope/off-topic.jsonl) on the other.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { loadCards } from "./cards.ts";
import { loadLexicon } from "./lexicon.ts";

export const OFF_TOPIC_FILE = fileURLToPath(new URL("./scope/off-topic.jsonl", import.meta.url));
const INTAKE_DIR = fileURLToPath(new URL("./intake/training/", import.meta.url));

const LineSchema = z.object({ text: z.string().min(1) });

function jsonlTexts(file: string): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => LineSchema.parse(JSON.parse(l)).text);
}

export interface ScopeExamples {
  inScope: string[];
  offTopic: string[];
}

let shipped: ScopeExamples | undefined;

/**
 * The examples, read once per process for the shipped files: the scope
 * model and the guard model both start from them.
 */
export function loadScopeExamples(offTopicFile: string = OFF_TOPIC_FILE): ScopeExamples {
  if (offTopicFile !== OFF_TOPIC_FILE) return readScopeExamples(offTopicFile);
  shipped ??= readScopeExamples(offTopicFile);
  return shipped;
}

function readScopeExamples(offTopicFile: string): ScopeExamples {
  const intake = readdirSync(INTAKE_DIR)
    .filter((f) => f.endsWith(".jsonl"))
    .flatMap((f) => jsonlTexts(`${INTAKE_DIR}${f}`));
  const phrases = [...loadLexicon().unitKeywords.values()].flat();
  const cardQuestions = loadCards().flatMap((c) => c.questions);
  return { inScope: [...intake, ...phrases, ...cardQuestions], offTopic: jsonlTexts(offTopicFile) };
}

const CACHE_DIR = fileURLToPath(new URL("../.data/cache/", import.meta.url));

/**
 * A value worked out from reviewed examples (a model's counts), kept as
 * JSON under .data/cache/<name>/ named by the hash of the examples, so a
 * start reads it instead of counting ten thousand texts again. Edited data
 * has another hash; a read-only checkout just computes it every time.
 */
export function cachedFrom<E, T>(name: string, examples: E, compute: (examples: E) => T): T {
  const hash = createHash("sha256").update(JSON.stringify(examples)).digest("hex").slice(0, 24);
  const dir = `${CACHE_DIR}${name}/`;
  const file = `${dir}${hash}.json`;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    // Not cached yet: computed below.
  }
  const value = compute(examples);
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file);
  } catch {
    // Read-only: fine.
  }
  return value;
}

/** The reviewed files the shipped examples are read from. */
const EXAMPLE_DIRS = ["intake/", "lexicon/", "cards/", "scope/", "guard/"].map((d) =>
  fileURLToPath(new URL(`./${d}`, import.meta.url)),
);
const HERE = fileURLToPath(new URL("./", import.meta.url));

let stamp: string | undefined;

/**
 * The shipped example files' bytes and the code under knowledge/ that reads them, hashed without
 * parsing anything: a start whose model counts are cached reads no example at all.
 */
function shippedStamp(): string {
  if (stamp) return stamp;
  const h = createHash("sha256");
  const files = [
    ...EXAMPLE_DIRS.flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: "utf8" })
        .sort()
        .map((f) => `${dir}${f}`),
    ),
    ...readdirSync(HERE)
      .filter((f) => f.endsWith(".ts"))
      .sort()
      .map((f) => `${HERE}${f}`),
  ];
  for (const file of files) {
    if (!statSync(file).isFile()) continue;
    h.update(file.slice(HERE.length)).update(readFileSync(file));
  }
  stamp = h.digest("hex");
  return stamp;
}

/**
 * A value worked out from the shipped examples (`load` reads them), cached under the stamp of
 * the files they come from: only a cache miss loads and parses the examples.
 */
export function cachedFromShipped<E, T>(
  name: string,
  load: () => E,
  compute: (examples: E) => T,
): T {
  return cachedFrom(name, { files: shippedStamp() }, () => compute(load()));
}
