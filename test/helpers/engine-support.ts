/**
 * Shared pieces for the engine tests (test/engine/): a logger that records
 * what it is given, a message builder, and independent checks a resident
 * would care about (phone numbers, Markdown, the prompt's own lines).
 */
import { readFileSync } from "node:fs";
import type { Engine } from "../../bot/engine.ts";
import type { EngineLogger } from "../../bot/logger.ts";
import type { IncomingMessage } from "../../bot/message.ts";

export interface LogEntry {
  level: "info" | "warn" | "error";
  obj: Record<string, unknown>;
  msg?: string;
}

export interface RecordingLogger extends EngineLogger {
  entries: LogEntry[];
  /** Entries whose `event` field equals the given name. */
  events(name: string, level?: LogEntry["level"]): LogEntry[];
}

export function recordingLogger(): RecordingLogger {
  const entries: LogEntry[] = [];
  const push =
    (level: LogEntry["level"]) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      entries.push(msg === undefined ? { level, obj } : { level, obj, msg });
    };
  return {
    entries,
    info: push("info"),
    warn: push("warn"),
    error: push("error"),
    events: (name, level) =>
      entries.filter((e) => e.obj.event === name && (level === undefined || e.level === level)),
  };
}

let counter = 0;

/** A private-chat message from a resident; each call is a new conversation unless one is given. */
/**
 * One resident talking to the engine: in their private chat, and in one
 * group (with the group map a chat platform sends along).
 */
export function residentChats(
  engine: Engine,
  platform: string,
  senderId: string,
  group: { conversationId: string; map: IncomingMessage["group"] },
) {
  const say = (text: string, extra: Partial<IncomingMessage> = {}) =>
    engine.handle({
      platform,
      conversationId: `dm-${senderId}`,
      chatType: "private",
      senderId,
      text,
      ...extra,
    });
  const inGroup = (text: string, extra: Partial<IncomingMessage> = {}) =>
    engine.handle({
      platform,
      conversationId: group.conversationId,
      chatType: "group",
      senderId,
      text,
      ...(group.map ? { group: group.map } : {}),
      ...extra,
    });
  return { say, inGroup, draft: () => engine.draftFor(platform, senderId) };
}

export function privateMessage(
  text: string,
  extra: Partial<IncomingMessage> & { conversation?: string } = {},
): IncomingMessage {
  const { conversation, ...rest } = extra;
  const id = conversation ?? `engine-test-${++counter}`;
  return {
    platform: "test",
    conversationId: id,
    chatType: "private",
    senderId: id,
    text,
    ...rest,
  };
}

/**
 * Mainland mobile numbers and landlines with an area code, written here
 * independently of bot/privacy.ts so the tests do not trust the code they check.
 */
const PHONE_PATTERNS = [
  /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)/,
  /(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)/,
];

export function hasPhoneNumber(text: string): boolean {
  return PHONE_PATTERNS.some((p) => p.test(text));
}

/** What WeChat would show literally: bold, headings, tables. */
export function markdownIn(text: string): string[] {
  const found: string[] = [];
  if (text.includes("**")) found.push("**");
  if (text.includes("#")) found.push("#");
  if (text.includes("|")) found.push("|");
  return found;
}

export const SYSTEM_PROMPT = readFileSync(
  new URL("../../prompts/answer.system.md", import.meta.url),
  "utf8",
);

/**
 * The lines of the system prompt worth looking for in a reply: every
 * non-empty line long enough that it cannot occur by chance (so "规则：" is skipped).
 */
export const SYSTEM_PROMPT_LINES: string[] = SYSTEM_PROMPT.split("\n")
  .map((l) => l.trim())
  .filter((l) => l.length >= 10);

/** Prompt lines whose opening (up to 15 characters) appears in the text. */
export function leakedPromptLines(text: string): string[] {
  return SYSTEM_PROMPT_LINES.filter((l) => text.includes(l.slice(0, 15)));
}

export const DISCLAIMER_END = /不构成法律意见。?）$/;

/** The disclaimer every answer carries, wherever it stands (a hint may follow it). */
export const DISCLAIMER_ANYWHERE =
  /（(仅供参考，)?不构成法律意见。?）|（以上为法规条文信息，不构成法律意见。?）/;

/** The closing line a reply carries while a complaint draft waits (missing fields or ready to confirm). */
export const PENDING_LINE = /（您的投诉(还在登记中|已经整理好)[^）]*）/g;

/** The offer to file that may follow an answer about a problem. */
export const OFFER_TO_FILE = /回复「投诉」即可/;

/**
 * The pieces of every 「…」 quotation in a reply, split where the reply left
 * something out (……), without the surrounding whitespace.
 */
export function quotedFragments(text: string): string[] {
  return (
    [...text.matchAll(/「([^」]*)」/g)]
      // An enumerated item (（三）……) is quoted on its own: each is checked as published.
      .flatMap((m) => (m[1] ?? "").split(/…+|(?=（[一二三四五六七八九十]+）)/))
      .map((f) => f.trim())
      .filter((f) => f.length >= 4)
  );
}

/** Whitespace-free form, so a quote that spans two published lines still matches. */
export const squeeze = (text: string) => text.replace(/\s/g, "");
