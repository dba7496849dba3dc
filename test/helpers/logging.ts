/**
 * The suite-wide phone-number guard. Tests give the engine `recordingLogger()`
 * instead of a silent one; every line it is given is written as pino-style JSON
 * to a per-worker file under test-output/logs/ (and kept in memory), and group
 * replies pass through `guardGroupReplies`, which writes them there too. The
 * global teardown (test/global-teardown.ts) scans every file under
 * test-output/logs/ and fails the run if a mainland phone number is found.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
} from "node:fs";
import { join, relative } from "node:path";
import type { Engine } from "../../bot/engine.ts";
import type { EngineLogger } from "../../bot/logger.ts";
import type { IncomingMessage, Reply } from "../../bot/message.ts";
import { findPhones, maskPhones } from "../../bot/privacy.ts";

/** Where every worker writes its lines; the global setup points each run at its own folder below it. */
export const LOG_ROOT = new URL("../../test-output/logs/", import.meta.url).pathname;
/** Set by the global setup for the workers of one run. */
export const LOG_DIR_ENV = "WUYE_TEST_LOG_DIR";

const LEVELS = { info: 30, warn: 40, error: 50 } as const;
type Level = keyof typeof LEVELS;

export interface RecordedLine {
  level: Level;
  obj: Record<string, unknown>;
  msg?: string;
  /** The JSON line as written to the file. */
  line: string;
}

export interface RecordingLogger extends EngineLogger {
  /** Every line given to this logger, in order. */
  readonly lines: RecordedLine[];
  /** The file this logger appends to. */
  readonly file: string;
  /** Lines whose `event` field equals the name. */
  events(name: string): RecordedLine[];
  /** Writes a group reply to the log stream, so the suite-wide scan covers it too. */
  groupReply(text: string): void;
}

/** Like pino: an Error becomes { type, message, stack }; a bigint a string. */
function toJson(value: Record<string, unknown>): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => {
      if (v instanceof Error) return { type: v.name, message: v.message, stack: v.stack };
      if (typeof v === "bigint") return v.toString();
      return v;
    });
  } catch (error) {
    return JSON.stringify({ ...value, unserializable: String(error) });
  }
}

function workerFile(dir: string): string {
  const worker = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? "main";
  return join(dir, `worker-${worker}-${process.pid}.jsonl`);
}

/**
 * A pino-compatible logger ({ info, warn, error }) that appends each line as
 * JSON to this worker's file and keeps it in memory. `dir` is for the guard's
 * own tests; everything else writes to the run's folder under test-output/logs/.
 */
export function recordingLogger(options: { dir?: string } = {}): RecordingLogger {
  const dir = options.dir ?? process.env[LOG_DIR_ENV] ?? LOG_ROOT;
  mkdirSync(dir, { recursive: true });
  const file = workerFile(dir);
  const lines: RecordedLine[] = [];
  const write = (level: Level, obj: Record<string, unknown>, msg?: string): void => {
    const record = {
      level: LEVELS[level],
      time: Date.now(),
      ...obj,
      ...(msg === undefined ? {} : { msg }),
    };
    const line = toJson(record);
    appendFileSync(file, `${line}\n`);
    lines.push(msg === undefined ? { level, obj, line } : { level, obj, msg, line });
  };
  return {
    lines,
    file,
    info: (obj, msg) => write("info", obj, msg),
    warn: (obj, msg) => write("warn", obj, msg),
    error: (obj, msg) => write("error", obj, msg),
    events: (name) => lines.filter((l) => l.obj.event === name),
    groupReply: (text) => write("info", { event: "test_group_reply", text }),
  };
}

/** Throws when the text holds a mainland mobile or landline number (the message shows it masked). */
export function assertNoPhone(text: string, where = "text"): void {
  const found = findPhones(text);
  if (found.length > 0) {
    throw new Error(
      `phone number in ${where}: ${found.map((p) => maskPhones(p)).join(", ")} in «${maskPhones(text)}»`,
    );
  }
}

/**
 * An engine whose replies to group messages are checked for phone numbers at
 * once and written to the logger's stream for the suite-wide scan.
 */
export function guardGroupReplies(engine: Engine, log: RecordingLogger): Engine {
  return {
    draftFor: (platform, senderId) => engine.draftFor(platform, senderId),
    async handle(message: IncomingMessage): Promise<Reply> {
      const reply = await engine.handle(message);
      if (message.chatType === "group") {
        log.groupReply(reply.text);
        assertNoPhone(reply.text, "a group reply");
      }
      return reply;
    },
  };
}

export interface PhoneFinding {
  /** Relative to the scanned folder. */
  file: string;
  line: number;
  /** The numbers found, masked (the report must not leak them either). */
  masked: string[];
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Long hexadecimal ids (a WeCom reqId, a trace id) are random: now and then their digits read like a
 * landline (0934839517d7…). They are no one's number, so the scan leaves them out.
 */
const HEX_ID = /\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{16,}\b/gi;

/** Every line of every file under `dir` that holds a phone number. */
export function scanLogDir(dir: string): PhoneFinding[] {
  const findings: PhoneFinding[] = [];
  for (const path of filesUnder(dir)) {
    readFileSync(path, "utf8")
      .split("\n")
      .forEach((text, i) => {
        const found = findPhones(text.replace(HEX_ID, ""));
        if (found.length > 0) {
          findings.push({
            file: relative(dir, path),
            line: i + 1,
            masked: found.map((p) => maskPhones(p)),
          });
        }
      });
  }
  return findings;
}

/** Throws, naming file and line, when any file under `dir` holds a phone number. */
export function assertLogsClean(dir: string): void {
  const findings = scanLogDir(dir);
  if (findings.length === 0) return;
  const list = findings.map((f) => `  ${f.file}:${f.line}  ${f.masked.join(", ")}`).join("\n");
  throw new Error(
    `${findings.length} log line(s) under ${dir} hold a phone number (shown masked):\n${list}`,
  );
}
