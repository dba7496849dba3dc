import { type Unit, unitText } from "./unit.ts";

/** A retrievable piece of a unit: the whole unit, or one 款 with its 项. */
export interface Passage {
  unit: number;
  /** Clause index within the unit; -1 for the whole unit; -2 for residents' phrases about it. */
  clause: number;
  text: string;
}

/**
 * The chapter title goes into the whole-unit passage because residents often
 * ask in the chapter's terms (业主委员会, 法律责任) rather than the article's.
 */
export function passagesOf(units: Unit[], keywords: Map<string, string[]> = new Map()): Passage[] {
  const out: Passage[] = [];
  units.forEach((unit, u) => {
    out.push({ unit: u, clause: -1, text: [...unit.context, unitText(unit)].join("\n") });
    // Residents' phrases are a passage of their own: they count towards the
    // unit without being diluted by its length, and are never quoted.
    const phrases = keywords.get(unit.key);
    if (phrases?.length) out.push({ unit: u, clause: -2, text: phrases.join("\n") });
    if (unit.clauses.length < 2 && (unit.clauses[0]?.items.length ?? 0) === 0) return;
    unit.clauses.forEach((c, i) => {
      out.push({ unit: u, clause: i, text: [c.text, ...c.items].join("\n") });
    });
  });
  return out;
}
