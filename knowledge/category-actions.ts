import { fileURLToPath } from "node:url";
import { z } from "zod";
import { CitationKeySchema } from "./cards.ts";
import { readYamlFile } from "./yaml-cache.ts";

const FILE = fileURLToPath(new URL("./guides/category-actions.yaml", import.meta.url));

const CategoryActionsSchema = z.record(z.string(), CitationKeySchema);

/** Complaint category → the unit of the plan action it belongs to (reviewed data). */
export function loadCategoryActions(path: string = FILE): Record<string, string> {
  return CategoryActionsSchema.parse(readYamlFile(path));
}
