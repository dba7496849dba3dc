/**
 * The phone-number guard itself: the recording logger writes pino-style JSON
 * lines, and the scan the global teardown runs finds a phone number in any
 * file under a log folder. Every line with a phone is written to a temporary
 * folder, never to test-output/logs/ (which the teardown scans).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Engine } from "../../bot/engine.ts";
import type { IncomingMessage, Reply } from "../../bot/message.ts";
import { setup, teardown } from "../global-teardown.ts";
import {
  assertLogsClean,
  assertNoPhone,
  guardGroupReplies,
  LOG_DIR_ENV,
  LOG_ROOT,
  recordingLogger,
  scanLogDir,
} from "../helpers/logging.ts";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "wuye-log-guard-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("recordingLogger", () => {
  it("appends one pino-style JSON line per call to a per-worker file and keeps it in memory", () => {
    const log = recordingLogger({ dir });
    log.info({ event: "intake_opened", category: "fees" });
    log.warn({ event: "model_timeout" }, "fell back to offline");
    log.error({ err: new Error("boom") });

    const written = readFileSync(log.file, "utf8").trimEnd().split("\n");
    expect(written).toHaveLength(3);
    const parsed = written.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ level: 30, event: "intake_opened", category: "fees" });
    expect(parsed[1]).toMatchObject({
      level: 40,
      event: "model_timeout",
      msg: "fell back to offline",
    });
    expect(parsed[2]).toMatchObject({ level: 50, err: { type: "Error", message: "boom" } });
    for (const p of parsed) expect(typeof p.time).toBe("number");

    expect(log.lines.map((l) => l.line)).toEqual(written);
    expect(log.events("model_timeout")).toHaveLength(1);
    expect(log.file.startsWith(dir)).toBe(true);
    expect(log.file).toMatch(/worker-[^/]+\.jsonl$/);
  });

  it("writes to this run's folder under test-output/logs by default", () => {
    const log = recordingLogger();
    const runDir = process.env[LOG_DIR_ENV];
    expect(log.file.startsWith(runDir ?? LOG_ROOT)).toBe(true);
    expect(log.file.startsWith(LOG_ROOT)).toBe(true);
  });
});

describe("assertNoPhone", () => {
  it.each([
    "我电话13812341234",
    "打 138 1234 1234 找我",
    "138-1234-1234",
    "+86 13812341234",
    "办公室 0375-2345678",
  ])("rejects %s", (text) => {
    expect(() => assertNoPhone(text)).toThrow(/phone number/);
  });

  it("shows the number masked in its own message", () => {
    expect(() => assertNoPhone("我电话13812341234", "a group reply")).toThrow(
      /a group reply: 138\*\*\*\*1234/,
    );
    try {
      assertNoPhone("我电话13812341234");
    } catch (error) {
      expect(String(error)).not.toContain("13812341234");
    }
  });

  it.each([
    "联系方式：王 138****1234",
    "投诉编号：PDS-20261125-0007",
    '{"level":30,"time":1764054122033,"case":"PDS-20261125-0001"}',
    "2026-11-25T07:02:22.033Z",
    "请马上拨打 119 或 110，也可以拨打 12345",
  ])("accepts %s", (text) => {
    expect(() => assertNoPhone(text)).not.toThrow();
  });
});

describe("the log scan the global teardown runs", () => {
  it("reports a phone number in any file under the folder, by file and line, masked", () => {
    const clean = recordingLogger({ dir });
    clean.info({ event: "intake_opened" });
    mkdirSync(join(dir, "run-1-1"));
    writeFileSync(
      join(dir, "run-1-1", "worker-2-42.jsonl"),
      `${JSON.stringify({ level: 30, event: "ok" })}\n${JSON.stringify({ level: 30, text: "电话 138 1234 5678" })}\n`,
    );

    const findings = scanLogDir(dir);
    expect(findings).toEqual([
      { file: join("run-1-1", "worker-2-42.jsonl"), line: 2, masked: ["138****5678"] },
    ]);
    expect(() => assertLogsClean(dir)).toThrow(/run-1-1\/worker-2-42\.jsonl:2\s+138\*\*\*\*5678/);
    expect(() => assertLogsClean(dir)).not.toThrow(/13812345678|138 1234 5678/);
  });

  it("leaves out a random hexadecimal id whose digits read like a landline, not a number beside it", () => {
    const log = recordingLogger({ dir });
    log.warn({
      event: "sdk",
      line: "Reply ack error: reqId=0934839517d73005bd169318, errcode=846608",
    });
    expect(scanLogDir(dir)).toEqual([]);
    log.warn({ event: "sdk", line: "reqId=0934839517d73005bd169318 电话 0375-2345678" });
    expect(scanLogDir(dir)).toHaveLength(1);
  });

  it("finds what the recording logger wrote when it was given a phone", () => {
    const log = recordingLogger({ dir });
    log.info({ event: "leak", text: "业主电话13812341234" });
    expect(scanLogDir(dir)).toHaveLength(1);
  });

  it("passes a folder without phone numbers, and a missing one", () => {
    const log = recordingLogger({ dir });
    log.info({ event: "complaint_filed", case: "PDS-20261125-0001" });
    log.groupReply("为保护您的隐私，我私聊您继续登记这个投诉，请留意私聊消息。");
    expect(scanLogDir(dir)).toEqual([]);
    expect(() => assertLogsClean(dir)).not.toThrow();
    expect(scanLogDir(join(dir, "nowhere"))).toEqual([]);
  });

  it("is wired as the vitest global setup/teardown", async () => {
    expect(typeof setup).toBe("function");
    expect(typeof teardown).toBe("function");
    const config = readFileSync(new URL("../../vitest.config.ts", import.meta.url), "utf8");
    expect(config).toMatch(/globalSetup:\s*\[[^\]]*"test\/global-teardown\.ts"/);
  });
});

describe("guardGroupReplies", () => {
  const fake = (text: string): Engine => ({
    handle: async (): Promise<Reply> => ({ kind: "answer", text, citations: [] }),
    draftFor: async () => undefined,
  });
  const message = (chatType: "group" | "private"): IncomingMessage => ({
    platform: "test",
    conversationId: "c",
    chatType,
    senderId: "s",
    text: "物业不管",
  });

  it("fails a group reply that holds a phone number and logs it for the scan", async () => {
    const log = recordingLogger({ dir });
    const engine = guardGroupReplies(fake("有事打 13812341234"), log);
    await expect(engine.handle(message("group"))).rejects.toThrow(/phone number in a group reply/);
    expect(log.events("test_group_reply")).toHaveLength(1);
    expect(scanLogDir(dir)).toHaveLength(1);
  });

  it("checks and records group replies only", async () => {
    const log = recordingLogger({ dir });
    // A private reply is not sent to the group and not logged; the guard leaves it alone.
    const inPrivate = guardGroupReplies(fake("您留的号码：13812341234"), log);
    await expect(inPrivate.handle(message("private"))).resolves.toMatchObject({ kind: "answer" });
    expect(log.lines).toEqual([]);
    const inGroup = guardGroupReplies(fake("联系方式：138****1234"), log);
    await expect(inGroup.handle(message("group"))).resolves.toMatchObject({ kind: "answer" });
    expect(log.events("test_group_reply")).toHaveLength(1);
  });
});
