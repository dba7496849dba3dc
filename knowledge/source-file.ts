import { isMap, isScalar, LineCounter, type Node, parseDocument } from "yaml";
import { z } from "zod";

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "应为 ISO 日期，如 2018-01-01")
  .refine((s) => !Number.isNaN(Date.parse(s)), "不是有效日期");

/** Front matter of a knowledge source (CONTRACTS §1). */
export const SourceMetaSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "应只含小写字母、数字和 -"),
  title: z.string().min(1),
  kind: z.enum(["法律", "行政法规", "地方性法规", "司法解释", "规范性文件"]),
  issuer: z.string().min(1),
  jurisdiction: z.string().min(1),
  adopted: isoDate,
  effective: isoDate,
  doc_number: z.string().optional(),
  history: z.array(z.string()).optional(),
  source: z.string().min(1),
});
export type SourceMeta = z.infer<typeof SourceMetaSchema>;

export interface SourceFile {
  meta: SourceMeta;
  /** Body lines after the front matter. */
  body: string[];
  /** 1-based line number of the first body line in the file, for error messages. */
  bodyStartLine: number;
  path: string;
}

/** A problem in one source file; ingestion reports it and carries on with the others. */
export class SourceFormatError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${path}:${line}: ${problem}`);
    this.name = "SourceFormatError";
  }
}

/**
 * Splits and validates one source file. YAML dates are kept as strings (the
 * contract speaks of ISO dates, not timestamps), so the core schema is used.
 */
export function parseSourceFile(path: string, content: string): SourceFile {
  const lines = content.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0]?.trim() !== "---") {
    throw new SourceFormatError(path, 1, "缺少 YAML 前置信息（第一行应为 ---）");
  }
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (end < 0) throw new SourceFormatError(path, 1, "前置信息没有结束行 ---");

  const yamlText = lines.slice(1, end).join("\n");
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, schema: "core" });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = (firstError.linePos?.[0]?.line ?? 1) + 1;
    throw new SourceFormatError(path, line, `YAML 格式错误：${firstError.message.split("\n")[0]}`);
  }
  const parsed = SourceMetaSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path[0];
    const node = typeof key === "string" ? findKeyNode(doc.contents, key) : undefined;
    const line = node?.range ? lineCounter.linePos(node.range[0]).line + 1 : 1;
    const what =
      issue?.code === "invalid_type" && node === undefined ? "缺少必填项" : issue?.message;
    throw new SourceFormatError(path, line, `前置信息字段 ${String(key ?? "")}：${what}`);
  }
  return { meta: parsed.data, body: lines.slice(end + 1), bodyStartLine: end + 2, path };
}

function findKeyNode(contents: unknown, key: string): Node | undefined {
  if (!isMap(contents)) return undefined;
  for (const pair of contents.items) {
    if (isScalar(pair.key) && pair.key.value === key) return pair.key as Node;
  }
  return undefined;
}
