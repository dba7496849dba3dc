/**
 * Step-by-step guides and rule-conflict notes, kept as reviewed YAML under
 * knowledge/guides/ so that the legal content is data: another province's
 * sources use the same code, and steps citing units that are not loaded are
 * simply not shown.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { CitationKeySchema } from "./cards.ts";
import { readYamlFile } from "./yaml-cache.ts";

export const DEFAULT_GUIDES_DIR = fileURLToPath(new URL("./guides/", import.meta.url));

const MARKDOWN = /\*\*|#|\||`|^\s*[-*>]\s/m;

export const GuideStepSchema = z.object({
  text: z
    .string()
    .min(1)
    .refine((t) => !t.includes("\n"), "a step is one line")
    .refine((t) => !MARKDOWN.test(t), "plain text only, no Markdown"),
  /** Every unit the sentence rests on; the step is shown only when all are loaded. */
  cites: z.array(CitationKeySchema).min(1),
  /** Shown only when none of these is loaded: a more specific local step says it instead. */
  unless: z.array(CitationKeySchema).optional(),
});

export const GuideSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z
    .string()
    .min(1)
    .refine((t) => !MARKDOWN.test(t) && !t.includes("\n"), "plain one-line title"),
  /** Residents' phrasings that open this guide; "a+b" means a, then b within a few characters. */
  triggers: z.array(z.string().min(2)).min(1),
  steps: z.array(GuideStepSchema).min(1),
});

export const RuleConflictSchema = z.object({
  /** The local units whose rule differs. */
  provincial: z.array(CitationKeySchema).min(1),
  /** The national unit that prevails. */
  national: CitationKeySchema,
  /** What residents are told: which rule applies and why. */
  note: z.string().min(10),
});

export type GuideStep = z.infer<typeof GuideStepSchema>;
export type Guide = z.infer<typeof GuideSchema>;
export type RuleConflict = z.infer<typeof RuleConflictSchema>;

function readYaml(path: string): unknown {
  try {
    return readYamlFile(path);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

/** Every guide in knowledge/guides/procedures/, validated; throws on invalid data. */
export function loadGuides(dir: string = DEFAULT_GUIDES_DIR): Guide[] {
  const folder = join(dir, "procedures");
  const guides: Guide[] = [];
  for (const f of readdirSync(folder)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()) {
    const parsed = GuideSchema.safeParse(readYaml(join(folder, f)));
    if (!parsed.success) throw new Error(`${f}: ${z.prettifyError(parsed.error)}`);
    if (guides.some((g) => g.id === parsed.data.id))
      throw new Error(`${f}: duplicate guide id ${parsed.data.id}`);
    guides.push(parsed.data);
  }
  return guides;
}

export function loadConflicts(dir: string = DEFAULT_GUIDES_DIR): RuleConflict[] {
  const parsed = z.array(RuleConflictSchema).safeParse(readYaml(join(dir, "conflicts.yaml")));
  if (!parsed.success) throw new Error(`conflicts.yaml: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** True when the loaded sources have this unit (e.g. `(k) => kb.unit(k) !== undefined`). */
export type HasUnit = (key: string) => boolean;

/**
 * The guide as it applies over the loaded sources: steps citing a unit that is
 * not loaded are dropped, as are steps a loaded local step replaces; undefined
 * when no step is left.
 */
export function guideOver(guide: Guide, has: HasUnit): Guide | undefined {
  const steps = guide.steps.filter(
    (s) => s.cites.every(has) && !(s.unless ?? []).some((k) => has(k)),
  );
  return steps.length > 0 ? { ...guide, steps } : undefined;
}

/** A conflict note applies only when both sides of it are loaded. */
export function conflictApplies(conflict: RuleConflict, has: HasUnit): boolean {
  return has(conflict.national) && conflict.provincial.every(has);
}
