import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { createDeliveryWorker } from "../../adapters/cases/delivery-worker.ts";
import { Open311Backend } from "../../adapters/cases/open311.ts";
import { CHILD_LEASE_MS } from "../helpers/child-lease.ts";
import {
  FEES_COMPLAINT_DESCRIPTION,
  FEES_COMPLAINT_TURNS,
} from "../helpers/complaint-conversation.ts";
import { recordingLogger } from "../helpers/logging.ts";
import { type Open311Server, startOpen311Server } from "../helpers/open311-server.ts";
import { waitUntil } from "./support.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CHILD = fileURLToPath(new URL("../helpers/casebook-child.ts", import.meta.url));
const CHILD_TIMEOUT_MS = 60_000;

let dir: string;
let path: string;
let server: Open311Server;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "wuye-crash-"));
  path = join(dir, "casebook.sqlite");
  server = await startOpen311Server();
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Child {
  process: ChildProcess;
  /** Resolves with the case id the child printed once it filed the complaint. */
  filed: Promise<string>;
  exited: Promise<NodeJS.Signals | number | null>;
  stderr(): string;
}

function startChild(args: string[]): Child {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, path, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  let err = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
    child.on("exit", (code, signal) => resolve(signal ?? code));
  });
  const filed = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`child filed nothing in ${CHILD_TIMEOUT_MS} ms: ${err}`)),
      CHILD_TIMEOUT_MS,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const id = /^case (\S+)$/m.exec(out)?.[1];
      if (id) {
        clearTimeout(timer);
        resolve(id);
      }
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${how}) before filing: ${err}`));
    });
  });
  return { process: child, filed, exited, stderr: () => err };
}

async function kill(child: Child): Promise<void> {
  child.process.kill("SIGKILL");
  const how = await Promise.race([
    child.exited,
    new Promise((_, reject) => setTimeout(() => reject(new Error("child did not die")), 10_000)),
  ]);
  expect(how).toBe("SIGKILL");
}

function restart() {
  const casebook = new Casebook(path, ["open311"]);
  const worker = createDeliveryWorker({
    store: casebook.store,
    backends: [new Open311Backend({ endpoint: server.endpoint, apiKey: server.apiKey })],
    schedule: { delaysSeconds: [0] },
    logger: recordingLogger(),
  });
  return { casebook, worker };
}

describe("delivery survives a killed bot process", () => {
  it("delivers a case filed just before SIGKILL exactly once after restart", async () => {
    const child = startChild([]);
    const caseId = await child.filed;
    await kill(child);
    expect(server.posts).toHaveLength(0);

    const { casebook, worker } = restart();
    try {
      const filed = casebook.get(caseId);
      expect(filed?.complaint).toMatchObject({
        category: "fees",
        district: "新华区",
        community: "鹰城花园",
        anonymous: true,
        description: FEES_COMPLAINT_DESCRIPTION,
      });
      // The whole conversation up to the confirmation question was kept with the case.
      const said = filed?.transcript.filter((l) => l.role === "resident").map((l) => l.text);
      expect(said).toEqual(FEES_COMPLAINT_TURNS.slice(0, 3));
      expect(filed?.transcript.at(-1)?.text).toContain("确认");
      expect(casebook.outboxFor(caseId)).toMatchObject([{ state: "pending", attempts: 0 }]);

      expect(await worker.runOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });
      expect(await worker.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });

      expect(server.posts).toHaveLength(1);
      expect(server.requestsFor(caseId)).toHaveLength(1);
      expect(server.findCase(caseId)?.fields.service_code).toBe("fees");
      expect(casebook.outboxFor(caseId)).toMatchObject([
        { state: "delivered", remoteId: "1001", attempts: 1 },
      ]);
      expect(casebook.get(caseId)?.status).toBe("forwarded");
    } finally {
      casebook.close();
    }
  }, 90_000);

  it("redelivers after a SIGKILL between the server's receipt and markDelivered, without a duplicate", async () => {
    server.holdNext();
    const child = startChild([server.endpoint, server.apiKey]);
    const caseId = await child.filed;
    await waitUntil(
      () => server.requestsFor(caseId).length === 1,
      "the child's POST to reach the server",
      CHILD_TIMEOUT_MS,
    );
    await kill(child);
    // The server has the case but the child never heard back.
    expect(server.posts.map((p) => p.status)).toEqual([0]);

    const { casebook, worker } = restart();
    try {
      expect(casebook.outboxFor(caseId)).toMatchObject([
        { state: "pending", attempts: 0, claims: 1 },
      ]);
      // The dead child's lease still holds the entry: nobody sends it meanwhile.
      expect(await worker.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
      expect(server.posts).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, CHILD_LEASE_MS + 200));
      expect(await worker.runOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });
      // Sent again after a claimer vanished mid-send: counted as a repeat.
      expect(worker.repeats()).toBe(1);

      const [first, again] = server.posts;
      expect(server.posts).toHaveLength(2);
      expect(again?.attributes.case_id).toBe(caseId);
      expect(again?.idempotencyKey).toBe(first?.idempotencyKey);
      expect(again?.idempotencyKey).toBe(`${caseId}:open311`);
      expect(again?.repeat).toBe(true);
      expect(server.requestsFor(caseId)).toHaveLength(1);
      expect(server.requests).toHaveLength(1);
      expect(casebook.outboxFor(caseId)).toMatchObject([
        {
          state: "delivered",
          remoteId: server.requests[0]?.serviceRequestId,
          attempts: 1,
          claims: 2,
        },
      ]);
      expect(casebook.get(caseId)?.transcript[0]?.text).toBe(FEES_COMPLAINT_DESCRIPTION);
      expect(casebook.pendingNotifications().filter((n) => n.caseId === caseId)).toHaveLength(1);
    } finally {
      casebook.close();
    }
  }, 90_000);
});
