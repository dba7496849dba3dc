import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type {
  CaseBackend,
  DeliveryResult,
  RemoteUpdate,
} from "../../adapters/cases/case-backend.ts";
import { Casebook } from "../../adapters/cases/casebook.ts";
import {
  createDeliveryWorker,
  type DeliverySchedule,
  type DeliveryWorkerOptions,
} from "../../adapters/cases/delivery-worker.ts";
import { Open311Backend } from "../../adapters/cases/open311.ts";
import type { Complaint, FiledCase } from "../../bot/complaint.ts";
import { createEngine } from "../../bot/engine.ts";
import {
  FEES_COMPLAINT_DESCRIPTION,
  FEES_COMPLAINT_TURNS,
  tellInPrivate,
} from "../helpers/complaint-conversation.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";
import { type RecordingLogger, recordingLogger } from "../helpers/logging.ts";
import { type Open311Server, startOpen311Server } from "../helpers/open311-server.ts";
import { filedCase, waitUntil } from "./support.ts";

const IMMEDIATE: DeliverySchedule = { delaysSeconds: [0] };

let dir: string;
let path: string;
let server: Open311Server;
let casebook: Casebook;
let log: RecordingLogger;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "wuye-delivery-"));
  path = join(dir, "casebook.sqlite");
  server = await startOpen311Server();
  casebook = new Casebook(path, ["open311"]);
  log = recordingLogger();
});

afterEach(async () => {
  casebook.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function open311(): Open311Backend {
  return new Open311Backend({ endpoint: server.endpoint, apiKey: server.apiKey });
}

function worker(options: Partial<DeliveryWorkerOptions> = {}) {
  return createDeliveryWorker({
    store: casebook.store,
    backends: [open311()],
    schedule: IMMEDIATE,
    logger: log,
    ...options,
  });
}

/** Files a case straight into `book` (default: the test's casebook), bypassing the engine. */
function file(complaint: Partial<Complaint> = {}, book: Casebook = casebook): FiledCase {
  const sample = filedCase(complaint);
  return book.file({
    complaint: sample.complaint,
    origin: sample.origin,
    transcript: sample.transcript,
  });
}

function outbox(caseId: string) {
  const entry = casebook.outboxFor(caseId)[0];
  if (!entry) throw new Error(`no outbox entry for ${caseId}`);
  return entry;
}

function notificationsFor(filed: FiledCase) {
  return casebook
    .pendingNotifications()
    .filter(
      (n) => n.caseId === filed.id && n.conversationId === filed.origin.privateConversationId,
    );
}

describe("delivery worker with the real engine and Open311 server", () => {
  it("delivers a complaint told in a private chat, anonymously, under the fees service", async () => {
    const engine = createEngine({
      knowledge: await shippedKnowledgeBase(),
      desk: casebook,
      conversations: casebook.conversations(),
    });
    const reply = await tellInPrivate(engine, FEES_COMPLAINT_TURNS, { senderId: "resident-7" });
    expect(reply.kind).toBe("complaint_filed");
    const filed = casebook.byNumber(reply.caseNumber ?? "");
    expect(filed?.complaint.anonymous).toBe(true);
    if (!filed) throw new Error("not filed");
    expect(outbox(filed.id).state).toBe("pending");

    expect(await worker().runOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });

    const post = server.findCase(filed.id);
    expect(post).toBeDefined();
    expect(post?.fields.service_code).toBe("fees");
    expect(post?.fields.address_string).toContain("新华区");
    expect(post?.fields.address_string).toContain("鹰城花园");
    expect(post?.fields.description).toBe(FEES_COMPLAINT_DESCRIPTION);
    expect(post?.attributes.case_id).toBe(filed.id);
    expect(post?.attributes.case_number).toBe(filed.number);
    expect(post?.idempotencyKey).toBe(`${filed.id}:open311`);
    for (const contact of ["first_name", "last_name", "phone", "email", "device_id"]) {
      expect(post?.fields).not.toHaveProperty(contact);
    }

    expect(outbox(filed.id)).toMatchObject({ state: "delivered", remoteId: "1001", attempts: 1 });
    expect(casebook.get(filed.id)?.status).toBe("forwarded");
    const told = notificationsFor(filed);
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toContain(filed.number);
    expect(told[0]?.text).toContain("已转交主管部门");

    expect(await worker().runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(server.posts).toHaveLength(1);
  });

  it("retries after three 500s and delivers exactly once", async () => {
    const filed = file();
    server.failNext(3, 500);
    const w = worker();
    const runs = [];
    for (let i = 0; i < 4; i++) runs.push(await w.runOnce());
    expect(runs).toEqual([
      { delivered: 0, retried: 1, failed: 0 },
      { delivered: 0, retried: 1, failed: 0 },
      { delivered: 0, retried: 1, failed: 0 },
      { delivered: 1, retried: 0, failed: 0 },
    ]);
    expect(await w.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });

    expect(server.posts.map((p) => p.status)).toEqual([500, 500, 500, 201]);
    expect(new Set(server.posts.map((p) => p.idempotencyKey))).toEqual(
      new Set([`${filed.id}:open311`]),
    );
    expect(server.requestsFor(filed.id)).toHaveLength(1);
    expect(outbox(filed.id)).toMatchObject({ state: "delivered", attempts: 4, lastError: null });
    expect(notificationsFor(filed)).toHaveLength(1);
  });

  it("records a 400 as a permanent failure with the server's reason and never retries it", async () => {
    const filed = file();
    server.rejectNext(400, "小区名称不在辖区范围内");
    const w = worker();
    expect(await w.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(await w.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });

    expect(server.posts).toHaveLength(1);
    expect(outbox(filed.id)).toMatchObject({
      state: "failed",
      attempts: 1,
      lastError: "小区名称不在辖区范围内",
    });
    expect(casebook.get(filed.id)?.status).toBe("new");
    expect(notificationsFor(filed)).toHaveLength(0);
  });

  it("resolves a token to the server's id once the server assigns one", async () => {
    server.tokenMode(true);
    const filed = file();
    const w = worker();
    expect((await w.runOnce()).delivered).toBe(1);
    expect(outbox(filed.id)).toMatchObject({
      state: "delivered",
      token: "token-1",
      remoteId: null,
    });

    expect(await w.pollOnce()).toEqual({ resolved: 0, applied: 0 });
    server.assignIds();
    expect(await w.pollOnce()).toEqual({ resolved: 1, applied: 0 });
    expect(outbox(filed.id).remoteId).toBe("1001");
    expect(casebook.caseIdByRemoteId("open311", "1001")).toBe(filed.id);
    expect(casebook.awaitingToken()).toHaveLength(0);
  });

  it("tells the resident about a server update exactly once, even after a restart", async () => {
    const filed = file();
    await worker().runOnce();
    for (const n of casebook.pendingNotifications()) casebook.markNotified(n.id);

    server.addUpdate("1001", "closed", "已恢复供电，并责令物业整改");
    server.addUpdate("9999", "closed", "别处的工单");
    const w = worker();
    expect(await w.pollOnce()).toEqual({ resolved: 0, applied: 1 });
    expect(await w.pollOnce()).toEqual({ resolved: 0, applied: 0 });
    // A restarted worker's adapter has no cursor and reads every update again.
    expect(await worker().pollOnce()).toEqual({ resolved: 0, applied: 0 });

    const told = notificationsFor(filed);
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toContain(filed.number);
    expect(told[0]?.text).toContain("已恢复供电");
    expect(casebook.get(filed.id)?.status).toBe("closed");
  });
});

describe("delivery schedule", () => {
  function clocked(start: string) {
    let t = Date.parse(start);
    return {
      now: () => new Date(t),
      advance(seconds: number) {
        t += seconds * 1000;
      },
    };
  }

  it("tries at once, after 5 minutes, then every 30 minutes by default", async () => {
    const clock = clocked("2026-11-25T08:00:00.000Z");
    const book = new Casebook(join(dir, "clocked.sqlite"), ["open311"], clock.now);
    try {
      const filed = file({}, book);
      server.failNext(10, 503);
      const w = createDeliveryWorker({ store: book.store, backends: [open311()], now: clock.now });
      const next = () => book.outboxFor(filed.id)[0]?.nextAttemptAt;

      expect((await w.runOnce()).retried).toBe(1);
      expect(next()).toBe("2026-11-25T08:05:00.000Z");
      clock.advance(299);
      expect((await w.runOnce()).retried).toBe(0);
      clock.advance(1);
      expect((await w.runOnce()).retried).toBe(1);
      expect(next()).toBe("2026-11-25T08:35:00.000Z");
      clock.advance(1800);
      expect((await w.runOnce()).retried).toBe(1);
      expect(next()).toBe("2026-11-25T09:05:00.000Z");
      expect(server.posts).toHaveLength(3);
      expect(book.outboxFor(filed.id)[0]).toMatchObject({ state: "pending", attempts: 3 });
    } finally {
      book.close();
    }
  });

  it("waits the first delay before the first attempt", async () => {
    const clock = clocked("2026-11-25T08:00:00.000Z");
    const book = new Casebook(join(dir, "clocked.sqlite"), ["open311"], clock.now);
    try {
      const filed = file({}, book);
      const w = createDeliveryWorker({
        store: book.store,
        backends: [open311()],
        schedule: { delaysSeconds: [60, 300] },
        now: clock.now,
      });
      expect(await w.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
      expect(book.outboxFor(filed.id)[0]).toMatchObject({ attempts: 0, state: "pending" });
      clock.advance(60);
      expect((await w.runOnce()).delivered).toBe(1);
      expect(server.posts).toHaveLength(1);
    } finally {
      book.close();
    }
  });

  it("gives up after DELIVERY_MAX_ATTEMPTS and keeps the last reason", async () => {
    const filed = file();
    server.failNext(5, 500);
    const w = worker({ schedule: { delaysSeconds: [0], maxAttempts: 2 } });
    expect(await w.runOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(await w.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(await w.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    const entry = outbox(filed.id);
    expect(entry.state).toBe("failed");
    expect(entry.lastError).toContain("已尝试 2 次");
    expect(entry.lastError).toContain("500");
    expect(server.posts).toHaveLength(2);
  });
});

/** A backend under the test's control. */
function fakeBackend(
  name: string,
  deliver: (filed: FiledCase, key: string) => Promise<DeliveryResult>,
  extra: Partial<Pick<CaseBackend, "resolveToken" | "fetchUpdates">> = {},
): CaseBackend {
  return { name, deliver, ...extra };
}

describe("delivery worker behaviour", () => {
  it("counts a thrown error as a retry and keeps the case in the outbox", async () => {
    const filed = file();
    const w = worker({
      backends: [
        fakeBackend("open311", async () => {
          throw new Error("socket hang up");
        }),
      ],
    });
    expect(await w.runOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(outbox(filed.id)).toMatchObject({ state: "pending", attempts: 1 });
    expect(outbox(filed.id).lastError).toContain("socket hang up");
  });

  it("tells the resident 'forwarded' once when two backends accept the case", async () => {
    const two = new Casebook(join(dir, "two.sqlite"), ["open311", "webhook"]);
    try {
      const filed = file({}, two);
      const w = createDeliveryWorker({
        store: two.store,
        backends: [open311(), fakeBackend("webhook", async () => ({ outcome: "delivered" }))],
        schedule: IMMEDIATE,
      });
      expect(await w.runOnce()).toEqual({ delivered: 2, retried: 0, failed: 0 });
      const told = two.pendingNotifications().filter((n) => n.caseId === filed.id);
      expect(told).toHaveLength(1);
      expect(two.get(filed.id)?.status).toBe("forwarded");
    } finally {
      two.close();
    }
  });

  it("keeps an entry for an unconfigured backend queued and warns about it once", async () => {
    const two = new Casebook(join(dir, "two.sqlite"), ["open311", "webhook"]);
    try {
      const filed = file({}, two);
      const w = createDeliveryWorker({
        store: two.store,
        backends: [open311()],
        schedule: IMMEDIATE,
        logger: log,
      });
      expect((await w.runOnce()).delivered).toBe(1);
      expect(await w.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
      const webhook = two.outboxFor(filed.id).find((e) => e.backend === "webhook");
      expect(webhook).toMatchObject({ state: "pending", attempts: 0 });
      const warned = log.events("delivery_backend_missing");
      expect(warned).toHaveLength(1);
      expect(warned[0]?.obj).toEqual({
        event: "delivery_backend_missing",
        case: filed.number,
        backend: "webhook",
      });
    } finally {
      two.close();
    }
  });

  it("re-reads updates it could not match while a token is still unresolved", async () => {
    const filed = file();
    let known: string | undefined;
    const sinces: (string | undefined)[] = [];
    const update: RemoteUpdate = {
      updateId: "u1",
      remoteId: "R-7",
      status: "in_progress",
      description: "已派人核实",
      at: "2026-11-25T09:00:00.000Z",
    };
    const w = worker({
      backends: [
        fakeBackend("open311", async () => ({ outcome: "delivered", token: "t-7" }), {
          resolveToken: async () => known,
          fetchUpdates: async (since) => {
            sinces.push(since);
            // Like a cursor-keeping adapter: an update is only returned again when asked from before it.
            return since === undefined && sinces.length > 1 ? [] : [update];
          },
        }),
      ],
    });
    await w.runOnce();
    // The server gave the case its id after we asked about the token but before the updates.
    expect(await w.pollOnce()).toEqual({ resolved: 0, applied: 0 });
    known = "R-7";
    expect(await w.pollOnce()).toEqual({ resolved: 1, applied: 1 });
    expect(sinces).toEqual([undefined, "2026-11-25T09:00:00.000Z"]);
    expect(await w.pollOnce()).toEqual({ resolved: 0, applied: 0 });
    expect(sinces.at(-1)).toBeUndefined();
    expect(casebook.get(filed.id)?.status).toBe("in_progress");
  });

  it("logs case number, backend, outcome and reason, never a phone number, name or story", async () => {
    const named = file({ anonymous: false, contact: { name: "王女士", phone: "13800000000" } });
    server.failNext(1, 500);
    const w = worker();
    await w.runOnce();
    await w.runOnce();
    const rejected = file({ anonymous: false, contact: { name: "李先生", phone: "13912345678" } });
    server.rejectNext(400, "联系电话 13912345678 与登记人李先生不符，请改留 0375-2345678");
    await w.runOnce();
    server.addUpdate("1001", "closed", "已联系王女士（13800000000）处理完毕");
    await w.pollOnce();

    expect(outbox(named.id).state).toBe("delivered");
    expect(outbox(rejected.id).state).toBe("failed");
    const written = log.lines.map((l) => l.line).join("\n");
    for (const secret of ["13800000000", "13912345678", "2345678", named.complaint.description]) {
      expect(written).not.toContain(secret);
    }
    expect(written).not.toContain("王女士");
    expect(written).not.toContain("李先生");
    const allowed = new Set(["event", "case", "backend", "outcome", "reason", "attempts", "next"]);
    allowed.add("status");
    for (const line of log.lines) {
      for (const key of Object.keys(line.obj)) expect(allowed).toContain(key);
    }
    expect(log.lines.map((l) => [l.obj.event, l.obj.case, l.obj.outcome ?? l.obj.status])).toEqual([
      ["delivery_retry", named.number, "retry"],
      ["case_delivered", named.number, "delivered"],
      ["delivery_failed", rejected.number, "permanent"],
      ["case_status_updated", named.number, "closed"],
    ]);
    // The server's reason is kept in full in the casebook, masked in the log.
    expect(outbox(rejected.id).lastError).toContain("13912345678");
    expect(log.lines[2]?.obj.reason).toBe(
      "联系电话 [已隐去] 与登记人[已隐去]不符，请改留 037****5678",
    );
  });
});

describe("delivery worker loop", () => {
  it("never overlaps itself, stops cleanly and resumes the outbox when started again", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let delayMs = 30;
    const delivered: string[] = [];
    const slow = fakeBackend("open311", async (filed) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      inFlight--;
      delivered.push(filed.id);
      return { outcome: "delivered", remoteId: `r-${delivered.length}` };
    });
    const cases = [file(), file(), file()];
    const w = worker({ backends: [slow] });
    w.start(1);
    w.start(1);
    // Manual passes queue behind the loop's instead of delivering the same entries alongside it.
    await Promise.all([w.runOnce(), w.runOnce()]);
    await waitUntil(() => delivered.length === 3, "three deliveries");
    await w.stop();
    expect(maxInFlight).toBe(1);
    expect(new Set(delivered).size).toBe(3);
    expect(cases.map((c) => outbox(c.id).state)).toEqual(["delivered", "delivered", "delivered"]);

    const later = file();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(outbox(later.id).state).toBe("pending");

    // stop() waits for the attempt in flight, so nothing is left half-recorded.
    delayMs = 300;
    const again = worker({ backends: [slow] });
    again.start(1_000);
    await waitUntil(() => inFlight === 1, "a delivery in flight");
    await again.stop();
    expect(inFlight).toBe(0);
    expect(outbox(later.id)).toMatchObject({ state: "delivered", attempts: 1 });
    expect(delivered.filter((id) => id === later.id)).toHaveLength(1);
  });

  it("keeps running after a pass fails and logs the failure", async () => {
    const filed = file();
    let calls = 0;
    const flaky = fakeBackend("open311", async () => {
      calls++;
      return { outcome: "delivered" };
    });
    const w = worker({ backends: [flaky] });
    const original = casebook.store.claimDeliveries.bind(casebook.store);
    let broken = true;
    casebook.store.claimDeliveries = (...args) => {
      if (broken) {
        broken = false;
        throw new Error("database is locked");
      }
      return original(...args);
    };
    w.start(5);
    await waitUntil(() => calls === 1, "delivery after a failed pass");
    await w.stop();
    expect(outbox(filed.id).state).toBe("delivered");
    expect(log.lines.some((l) => l.obj.event === "delivery_pass_failed")).toBe(true);
  });
});
