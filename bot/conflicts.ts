/**
 * Where a local rule and a national law say different things on the same
 * point, the answer must say which prevails and why. The notes are reviewed
 * data in knowledge/guides/conflicts.yaml.
 */
import {
  conflictApplies,
  type HasUnit,
  loadConflicts,
  type RuleConflict,
} from "../knowledge/guides.ts";

export type { RuleConflict };

export const RULE_CONFLICTS: readonly RuleConflict[] = Object.freeze(loadConflicts());

/**
 * The conflicts that touch any of the given units. Pass `loaded` (e.g.
 * `(k) => kb.unit(k) !== undefined`) so that a note naming a local rule is
 * shown only when that rule's source is loaded.
 */
export function conflictsFor(keys: string[], loaded?: HasUnit): RuleConflict[] {
  return RULE_CONFLICTS.filter(
    (c) =>
      (keys.includes(c.national) || c.provincial.some((p) => keys.includes(p))) &&
      (!loaded || conflictApplies(c, loaded)),
  );
}
