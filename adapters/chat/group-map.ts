import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { DISTRICTS, type District } from "../../bot/complaint.ts";
import { ConfigError } from "./config.ts";

/** What a mapped group tells the engine: complaints from it start with these filled in. */
export interface GroupInfo {
  community?: string;
  district: District;
}

export interface GroupMap {
  /** The community and district of a group (Telegram chat id, or WeChat room topic), if mapped. */
  groupInfo(platform: string, groupIdOrTopic: string): GroupInfo | undefined;
  readonly size: number;
}

const ENTRY_KEYS = ["platform", "group", "community", "district"] as const;

const Entry = z.strictObject({
  platform: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/),
  // YAML reads an unquoted Telegram chat id (-1001234567890) as a number.
  group: z.union([z.string().trim().min(1).max(256), z.number().int()]).transform((v) => String(v)),
  community: z.string().trim().min(1).max(64).optional(),
  district: z.enum(DISTRICTS),
});

const GroupFile = z.strictObject({ groups: z.array(Entry).default([]) });

const FIELD_HINTS: Record<(typeof ENTRY_KEYS)[number], string> = {
  platform: "应为平台名（小写英文，如 telegram、wechat）",
  group: "应为群标识（Telegram 填群 id，如 -1001234567890；微信填群名称）",
  community: "应为小区名称（1–64 个字）",
  district: `应为平顶山市 12 个区县之一（${DISTRICTS.join("、")}）`,
};

const key = (platform: string, group: string) => `${platform}\u0000${group.trim()}`;

function pathLabel(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
    .join("");
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function fail(file: string, at: string, what: string): never {
  throw new ConfigError(
    at || "groups",
    `配置错误：群映射文件 ${file} ${at ? `的 ${at} ` : ""}${what}`,
  );
}

/** Parses group-map YAML; `file` is only used to name the file in errors. */
export function parseGroupMap(text: string, file: string): GroupMap {
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    fail(file, "", `不是有效的 YAML${line ? `（第 ${line} 行附近）` : ""}`);
  }
  const parsed = GroupFile.safeParse(data);
  if (!parsed.success) {
    // A misspelt key explains a "missing" field next to it, so it is reported first.
    const issues = parsed.error.issues;
    const issue = issues.find((i) => i.code === "unrecognized_keys") ?? issues[0];
    const path = issue?.path ?? [];
    const at = pathLabel(path);
    if (issue?.code === "unrecognized_keys") {
      const allowed = path.length === 0 ? "groups" : ENTRY_KEYS.join("、");
      fail(file, at, `有不认识的键 ${issue.keys.join("、")}（可用的键：${allowed}）`);
    }
    const field = path[path.length - 1];
    if (typeof field === "string" && field in FIELD_HINTS) {
      const value = valueAt(data, path);
      const shown =
        value === undefined ? "，但没有填写" : `，现为「${String(value).slice(0, 40)}」`;
      fail(file, at, `${FIELD_HINTS[field as keyof typeof FIELD_HINTS]}${shown}`);
    }
    fail(file, at || "groups", "应为群列表（见 config/groups.example.yaml）");
  }

  const entries = new Map<string, GroupInfo>();
  parsed.data.groups.forEach((g, i) => {
    const k = key(g.platform, g.group);
    if (entries.has(k))
      fail(file, `groups[${i}].group`, `与前面的条目重复（同一平台的同一个群只能出现一次）`);
    entries.set(k, { district: g.district, ...(g.community ? { community: g.community } : {}) });
  });
  return {
    groupInfo: (platform, groupIdOrTopic) => entries.get(key(platform, groupIdOrTopic)),
    size: entries.size,
  };
}

export const EMPTY_GROUP_MAP: GroupMap = { groupInfo: () => undefined, size: 0 };

/**
 * Reads the group map. A missing file is an error only when the operator
 * named it (GROUP_MAP_FILE); the default file is optional.
 */
export function loadGroupMap(path: string, options: { required?: boolean } = {}): GroupMap {
  const rel = relative(process.cwd(), path);
  const label = rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
  if (!existsSync(path)) {
    if (!options.required) return EMPTY_GROUP_MAP;
    throw new ConfigError(
      "GROUP_MAP_FILE",
      `配置错误：GROUP_MAP_FILE 指向的群映射文件 ${label} 不存在（可参照 config/groups.example.yaml 建立）`,
    );
  }
  return parseGroupMap(readFileSync(path, "utf8"), label);
}
