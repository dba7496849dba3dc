import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkProject,
  dataFragments,
  evaluationDigests,
  findCopies,
  hanOnly,
  PROJECT_ROOT,
  readSharedDigest,
  SHARED_SAMPLES_DIR,
  sourceText,
  writeSharedDigest,
} from "../eval/hygiene.ts";
import { toTraditional } from "../knowledge/text-normalize.ts";

const sources = sourceText();
const digests = evaluationDigests();

/** A tuning question (never a held-out one) with a run of 8 Han characters the law does not have. */
function tuningQuestion(): string {
  const dirs = [join(PROJECT_ROOT, "eval/datasets/tuning"), join(PROJECT_ROOT, "eval/datasets")];
  for (const dir of dirs.filter(existsSync)) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".jsonl"))) {
      for (const line of readFileSync(join(dir, f), "utf8").split("\n")) {
        const q = line.trim() && (JSON.parse(line) as { question?: string }).question;
        if (!q) continue;
        const han = hanOnly(q);
        for (let i = 0; i + 8 <= han.length; i++)
          if (!sources.includes(han.slice(i, i + 8))) return q;
      }
    }
  }
  throw new Error("no tuning question found");
}

/** Findings for a lexicon file holding these entries, one a line. */
function plant(entries: string[], items = digests) {
  const dir = mkdtempSync(join(tmpdir(), "wuye-hygiene-"));
  const file = join(dir, "planted.yaml");
  writeFileSync(file, `example:unit:\n  [\n${entries.map((e) => `    ${e},`).join("\n")}\n  ]\n`);
  return findCopies(items, dataFragments(file, readFileSync(file, "utf8"), dir), sources);
}

describe("evaluation hygiene", () => {
  it("finds no evaluation item's wording in the lexicon, cards, guides, rules or comments", () => {
    const findings = checkProject().map(
      (f) => `${f.file}:${f.line} (${f.rule}) ~ ${f.itemFile}#${f.itemId}`,
    );
    expect(findings).toEqual([]);
  });

  it("catches a planted copy of an evaluation question, whole or cut down", () => {
    const q = tuningQuestion();
    const whole = plant([q]);
    expect([...new Set(whole.map((f) => f.line))]).toEqual([3]);
    // Without its punctuation, in Traditional script, shortened at both ends.
    const han = hanOnly(q);
    expect(plant([toTraditional(han.slice(1, -1))]).length).toBeGreaterThan(0);
  });

  it("does not count the law's own wording or a genuinely different phrasing as a copy", () => {
    expect(plant(["业主大会会议可以采用集体讨论的形式", "隔壁空调外机滴水吵得睡不着觉"])).toEqual(
      [],
    );
  });

  it("keeps the check meaningful without ../shared, from a digest of the shared sample", () => {
    const absent = evaluationDigests(PROJECT_ROOT, join(tmpdir(), "no-such-shared-folder"));
    const shared = absent.filter((d) => d.file.startsWith("eval-samples/"));
    expect(shared.length).toBeGreaterThan(0);
    expect(absent.map((d) => `${d.file}#${d.id}`)).toEqual(digests.map((d) => `${d.file}#${d.id}`));
  });

  it.skipIf(!existsSync(SHARED_SAMPLES_DIR))(
    "has a digest that matches the shared sample and catches a copy of it",
    () => {
      const fresh = join(mkdtempSync(join(tmpdir(), "wuye-digest-")), "digest.tsv");
      writeSharedDigest(SHARED_SAMPLES_DIR, fresh);
      expect(readSharedDigest(fresh)).toEqual(readSharedDigest());
      const sample = readFileSync(join(SHARED_SAMPLES_DIR, "questions.sample.jsonl"), "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => (JSON.parse(l) as { question: string }).question)
        .find((q) => hanOnly(q).length >= 12) as string;
      const findings = plant([sample], readSharedDigest());
      expect(findings.map((f) => f.itemFile)).toContain("eval-samples/questions.sample.jsonl");
    },
  );
});
