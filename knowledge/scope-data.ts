/**
 * What residents say about property management and what they say about
 * everything else, for the scope model: the reviewed resident sentences and
 * phrases the project already keeps (intake training sentences, unit phrases,
 * card questions) on one side, and reviewed off-topic group messages
 * (knowledge/scope/off-topic.jsonl) on the other.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { loadCards } from "./cards.ts";
import { codeFiles, filesUnder, hashFiles } from "./file-hash.ts";
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

/** The reviewed files the shipped examples are read from. */
const EXAMPLE_DIRS = ["intake/", "lexicon/", "cards/", "scope/", "guard/"].map(
  (d) => new URL(`./${d}`, import.meta.url),
);

let stamp: string | undefined;

/** The shipped example files and the code that reads them, hashed without parsing anything. */
function shippedStamp(): string {
  stamp ??= hashFiles(hashFiles(createHash("sha256"), filesUnder(EXAMPLE_DIRS)), codeFiles())
    .digest("hex")
    .slice(0, 24);
  return stamp;
}

/**
 * A value worked out from the shipped examples (a model's counts), kept as JSON under
 * .data/cache/<name>/ named by the stamp of the files the examples come from: a start whose
 * value is cached reads and parses no example at all. Edited data has another stamp; a
 * read-only checkout just computes it every time.
 */
export function cachedFromShipped<T>(name: string, compute: () => T): T {
  const dir = `${CACHE_DIR}${name}/`;
  const file = `${dir}${shippedStamp()}.json`;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    // Not cached yet: computed below.
  }
  const value = compute();
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
