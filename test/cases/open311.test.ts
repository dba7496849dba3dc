import { createServer, type Server, type Socket } from "node:net";
import { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  MAX_DESCRIPTION_CHARS,
  mapOpen311Status,
  Open311Backend,
} from "../../adapters/cases/open311.ts";
import { type Open311Server, startOpen311Server } from "../helpers/open311-server.ts";
import { filedCase, listen } from "./support.ts";

let server: Open311Server;
let backend: Open311Backend;

beforeEach(async () => {
  server = await startOpen311Server();
  backend = new Open311Backend({ endpoint: server.endpoint, apiKey: server.apiKey });
});

afterEach(async () => {
  await server.close();
});

describe("Open311Backend.deliver", () => {
  it("files the case under its service code with address, description and declared attributes", async () => {
    const filed = filedCase();
    const result = await backend.deliver(filed, "idem-1");

    expect(result).toEqual({ outcome: "delivered", remoteId: "1001" });
    const post = server.findCase(filed.id);
    expect(post).toBeDefined();
    expect(post?.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(post?.fields.api_key).toBe(server.apiKey);
    expect(post?.fields.service_code).toBe("safety");
    expect(post?.fields.address_string).toBe("卫东区 鹰城花园 3号楼");
    expect(post?.fields.description).toBe(filed.complaint.description);
    expect(post?.fields.jurisdiction_id).toBeUndefined();
    expect(post?.attributes).toEqual({
      case_id: "case-0001",
      case_number: "PDS-20261125-0007",
      district: "卫东区",
      community: "鹰城花园",
      urgency: "high",
      legal_basis: "pds-plan-2024:2.3,prc-civil-code:286",
    });
    expect(post?.idempotencyKey).toBe("idem-1");
  });

  it("sends contact fields for a consenting, non-anonymous resident", async () => {
    await backend.deliver(filedCase(), "k");
    expect(server.posts[0]?.fields.first_name).toBe("王女士");
    expect(server.posts[0]?.fields.phone).toBe("13800000000");
  });

  it("never sends contact fields for an anonymous case, even if a contact was recorded", async () => {
    await backend.deliver(filedCase({ anonymous: true }), "k");
    const fields = server.posts[0]?.fields ?? {};
    expect(fields).not.toHaveProperty("first_name");
    expect(fields).not.toHaveProperty("phone");
    expect(JSON.stringify(server.posts[0])).not.toContain("13800000000");
  });

  it("sends no contact fields for a case without a contact", async () => {
    await backend.deliver(filedCase({ contact: null }), "k");
    const fields = server.posts[0]?.fields ?? {};
    expect(fields).not.toHaveProperty("first_name");
    expect(fields).not.toHaveProperty("phone");
  });

  it("truncates a 5000-character description to at most 4000", async () => {
    const description = "楼".repeat(5000);
    const result = await backend.deliver(filedCase({ description }), "k");
    expect(result.outcome).toBe("delivered");
    const sent = server.posts[0]?.fields.description ?? "";
    expect(sent.length).toBeLessThanOrEqual(MAX_DESCRIPTION_CHARS);
    expect(sent.length).toBeGreaterThan(3900);
    expect(description.startsWith(sent.slice(0, -1))).toBe(true);
  });

  it("maps categories through serviceCodes, sends jurisdiction_id, and sends case_id even undeclared", async () => {
    const mapped = new Open311Backend({
      endpoint: server.endpoint,
      apiKey: server.apiKey,
      jurisdictionId: "pds.gov.cn",
      serviceCodes: { other: "governance" },
    });
    const filed = filedCase({ category: "other", district: null, community: null, location: null });
    expect((await mapped.deliver(filed, "k")).outcome).toBe("delivered");
    const post = server.posts[0];
    expect(post?.fields.service_code).toBe("governance");
    expect(post?.fields.jurisdiction_id).toBe("pds.gov.cn");
    expect(post?.fields.address_string).toBe("平顶山市");
    expect(post?.attributes.case_id).toBe(filed.id);
    // Not declared by the server, so not sent.
    expect(post?.attributes).not.toHaveProperty("company");
    expect(post?.attributes).not.toHaveProperty("anonymous");
  });

  it("answers retry on 500 and delivers once the server recovers", async () => {
    server.failNext(3, 500);
    const filed = filedCase();
    for (let i = 0; i < 3; i++) {
      const r = await backend.deliver(filed, "same-key");
      expect(r.outcome).toBe("retry");
      expect(r.outcome === "retry" && r.reason).toContain("500");
    }
    expect(await backend.deliver(filed, "same-key")).toEqual({
      outcome: "delivered",
      remoteId: "1001",
    });
    expect(server.posts.map((p) => p.status)).toEqual([500, 500, 500, 201]);
    expect(server.posts.every((p) => p.attributes.case_id === filed.id)).toBe(true);
  });

  it("answers permanent on 400 with the server's description as the reason", async () => {
    server.rejectNext(400, "小区名称不在辖区范围内");
    expect(await backend.deliver(filedCase(), "k")).toEqual({
      outcome: "permanent",
      reason: "小区名称不在辖区范围内",
    });
  });

  it("answers permanent when the service code is unknown (404)", async () => {
    const unknown = new Open311Backend({
      endpoint: server.endpoint,
      apiKey: server.apiKey,
      serviceCodes: { safety: "no-such-service" },
    });
    const r = await unknown.deliver(filedCase(), "k");
    expect(r.outcome).toBe("permanent");
    expect(r.outcome === "permanent" && r.reason).toContain("未知的服务代码：no-such-service");
    expect(server.posts).toHaveLength(0);
  });

  it("answers permanent on a wrong api_key (403)", async () => {
    const wrongKey = new Open311Backend({ endpoint: server.endpoint, apiKey: "wrong" });
    expect(await wrongKey.deliver(filedCase(), "k")).toEqual({
      outcome: "permanent",
      reason: "api_key 无效",
    });
  });

  it("answers retry when the connection is refused", async () => {
    const closed = await startOpen311Server();
    const endpoint = closed.endpoint;
    await closed.close();
    const r = await new Open311Backend({ endpoint, apiKey: "k" }).deliver(filedCase(), "k");
    expect(r.outcome).toBe("retry");
    expect(r.outcome === "retry" && r.reason).toContain("ECONNREFUSED");
  });

  it("answers retry when the server never answers", async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      const started = Date.now();
      const r = await new Open311Backend({
        endpoint: `http://127.0.0.1:${port}/open311/v2/`,
        apiKey: "k",
        timeoutMs: 200,
      }).deliver(filedCase(), "k");
      expect(r.outcome).toBe("retry");
      expect(r.outcome === "retry" && r.reason).toContain("超时");
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("asks for the service list and definition once across deliveries", async () => {
    await backend.deliver(filedCase(), "a");
    await backend.deliver(filedCase({}, "case-0002"), "b");
    expect(server.findCase("case-0002")?.serviceRequestId).toBe("1002");
    expect(server.hits).toEqual([
      "GET /open311/v2/services.json",
      "GET /open311/v2/services/safety.json",
      "POST /open311/v2/requests.json",
      "POST /open311/v2/requests.json",
    ]);
  });
});

describe("Open311Backend tokens and status", () => {
  it("delivers with a token that resolves only after the server assigns an id", async () => {
    server.tokenMode(true);
    const r = await backend.deliver(filedCase(), "k");
    expect(r).toEqual({ outcome: "delivered", token: "token-1" });
    expect(await backend.resolveToken("token-1")).toBeUndefined();
    server.assignIds();
    expect(await backend.resolveToken("token-1")).toBe("1001");
    expect(await backend.resolveToken("no-such-token")).toBeUndefined();
  });

  it("reads a request's status and notes", async () => {
    await backend.deliver(filedCase(), "k");
    expect(await backend.getRequest("1001")).toMatchObject({
      serviceRequestId: "1001",
      status: "open",
      caseStatus: "in_progress",
    });
    server.addUpdate("1001", "closed", "已拆除飞线，并在楼下设置集中充电点");
    expect(await backend.getRequest("1001")).toMatchObject({
      status: "closed",
      statusNotes: "已拆除飞线，并在楼下设置集中充电点",
      caseStatus: "closed",
    });
    expect(await backend.getRequest("9999")).toBeUndefined();
  });
});

describe("Open311Backend.fetchUpdates", () => {
  it("maps statuses, skips unknown ones and returns each update once", async () => {
    const t = (m: number) => new Date(Date.UTC(2026, 10, 25, 9, m)).toISOString();
    server.addUpdate("1001", "open", "已受理", { at: t(0) });
    server.addUpdate("1001", "investigating", "已派人核实", { at: t(1) });
    server.addUpdate("1001", "ACTION_SCHEDULED", "明日上午处理", { at: t(2) });
    server.addUpdate("1001", "fixed", "已拆除飞线", { at: t(3) });
    server.addUpdate("1002", "duplicate", "", { at: t(4) });
    server.addUpdate("1003", "not responsible", "不属于物业管理范围", { at: t(5) });
    server.addUpdate("1004", "unable to fix", "", { at: t(6) });
    server.addUpdate("1005", "closed", "已办结", { at: t(7) });
    server.addUpdate("1006", "for triage", "", { at: t(8) });
    server.addUpdate("1005", "closed", "已办结", { updateId: "u8", at: t(9) });

    const updates = await backend.fetchUpdates(undefined);
    expect(updates.map((u) => [u.updateId, u.remoteId, u.status])).toEqual([
      ["u1", "1001", "in_progress"],
      ["u2", "1001", "in_progress"],
      ["u3", "1001", "in_progress"],
      ["u4", "1001", "resolved"],
      ["u5", "1002", "duplicate"],
      ["u6", "1003", "rejected"],
      ["u7", "1004", "rejected"],
      ["u8", "1005", "closed"],
    ]);
    expect(updates[3]).toEqual({
      updateId: "u4",
      remoteId: "1001",
      status: "resolved",
      description: "已拆除飞线",
      at: t(3),
    });
    expect(updates[4]).not.toHaveProperty("description");

    const later = await backend.fetchUpdates(t(6));
    expect(later.map((u) => u.updateId)).toEqual(["u7", "u8"]);
  });

  it("uses its own cursor when not given one", async () => {
    server.addUpdate("1001", "open", "已受理", { at: "2026-11-25T09:00:00.000Z" });
    expect(await backend.fetchUpdates(undefined)).toHaveLength(1);
    server.addUpdate("1001", "fixed", "已维修", { at: "2026-11-25T10:00:00.000Z" });
    const next = await backend.fetchUpdates(undefined);
    // start_date is inclusive, so u1 comes again; dropping the repeat is the caller's job.
    expect(next.map((u) => [u.updateId, u.status])).toEqual([
      ["u1", "in_progress"],
      ["u2", "resolved"],
    ]);
    expect(server.hits.at(-1)).toContain("start_date=2026-11-25T09%3A00%3A00.000Z");
  });

  it("accepts a bare array and drops a repeated update_id within one answer", async () => {
    const app = new Hono();
    app.get("/v2/servicerequestupdates.json", (c) =>
      c.json([
        {
          update_id: 7,
          service_request_id: 42,
          status: "fixed",
          updated_datetime: "2026-11-25T09:00:00Z",
        },
        {
          update_id: 7,
          service_request_id: 42,
          status: "fixed",
          updated_datetime: "2026-11-25T09:00:00Z",
        },
        {
          update_id: 8,
          service_request_id: 42,
          status: "closed",
          updated_datetime: "2026-11-25T10:00:00Z",
        },
        { service_request_id: 42, status: "closed" },
      ]),
    );
    const bare = await listen(app);
    try {
      const updates = await new Open311Backend({
        endpoint: `${bare.url}/v2`,
        apiKey: "k",
      }).fetchUpdates(undefined);
      expect(updates).toEqual([
        { updateId: "7", remoteId: "42", status: "resolved", at: "2026-11-25T09:00:00Z" },
        { updateId: "8", remoteId: "42", status: "closed", at: "2026-11-25T10:00:00Z" },
      ]);
    } finally {
      await bare.close();
    }
  });

  it("throws when the server refuses the api_key", async () => {
    const wrongKey = new Open311Backend({ endpoint: server.endpoint, apiKey: "wrong" });
    await expect(wrongKey.fetchUpdates(undefined)).rejects.toThrow("api_key 无效");
  });
});

describe("mapOpen311Status", () => {
  it("knows the FixMyStreet spellings and nothing else", () => {
    expect(mapOpen311Status("In Progress")).toBe("in_progress");
    expect(mapOpen311Status("NOT_RESPONSIBLE")).toBe("rejected");
    expect(mapOpen311Status("resolved")).toBe("resolved");
    expect(mapOpen311Status("rejected")).toBe("rejected");
    expect(mapOpen311Status("internal referral")).toBeUndefined();
  });
});
