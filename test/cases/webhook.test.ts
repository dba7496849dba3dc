import { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  signWebhookBody,
  verifyWebhookSignature,
  WebhookBackend,
  type WebhookPayload,
} from "../../adapters/cases/webhook.ts";
import { filedCase, listen } from "./support.ts";

const SECRET = "test-webhook-secret";

interface Received {
  rawBody: string;
  timestamp: string | undefined;
  signature: string | undefined;
  idempotencyKey: string | undefined;
  contentType: string | undefined;
  verified: boolean;
}

const received: Received[] = [];
let answer: { status: number; body: string } = { status: 200, body: "" };
let receiver: { url: string; close(): Promise<void> };

beforeAll(async () => {
  const app = new Hono();
  app.post("/hook", async (c) => {
    const rawBody = await c.req.text();
    const timestamp = c.req.header("x-wuye-timestamp");
    const signature = c.req.header("x-wuye-signature");
    const verified = verifyWebhookSignature(SECRET, timestamp, rawBody, signature);
    received.push({
      rawBody,
      timestamp,
      signature,
      idempotencyKey: c.req.header("idempotency-key"),
      contentType: c.req.header("content-type"),
      verified,
    });
    if (!verified) return c.text("签名无效", 401);
    return c.body(answer.body, answer.status as 200);
  });
  receiver = await listen(app);
});

afterAll(async () => {
  await receiver.close();
});

beforeEach(() => {
  received.length = 0;
  answer = { status: 200, body: JSON.stringify({ id: "WH-1" }) };
});

function backend(): WebhookBackend {
  return new WebhookBackend({ url: `${receiver.url}/hook`, secret: SECRET, timeoutMs: 2000 });
}

describe("WebhookBackend", () => {
  it("posts a signed JSON case that the receiver verifies", async () => {
    const filed = filedCase();
    const result = await backend().deliver(filed, "idem-42");

    expect(result).toEqual({ outcome: "delivered", remoteId: "WH-1" });
    const r = received[0];
    expect(r?.verified).toBe(true);
    expect(r?.contentType).toBe("application/json");
    expect(r?.idempotencyKey).toBe("idem-42");
    expect(r?.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(Math.abs(Number(r?.timestamp) - Date.now() / 1000)).toBeLessThan(5);
    const payload = JSON.parse(r?.rawBody ?? "") as WebhookPayload;
    expect(payload.case).toEqual(filed);
    expect(Number.isNaN(Date.parse(payload.sent_at))).toBe(false);
  });

  it("fails verification for a tampered body, a wrong secret or a stale timestamp", async () => {
    await backend().deliver(filedCase(), "k");
    const r = received[0];
    if (!r) throw new Error("nothing received");
    const tampered = r.rawBody.replace("鹰城花园", "白鹭洲城");
    expect(tampered).not.toBe(r.rawBody);
    expect(verifyWebhookSignature(SECRET, r.timestamp, tampered, r.signature)).toBe(false);
    expect(verifyWebhookSignature("other-secret", r.timestamp, r.rawBody, r.signature)).toBe(false);
    expect(verifyWebhookSignature(SECRET, r.timestamp, r.rawBody, undefined)).toBe(false);
    expect(verifyWebhookSignature(SECRET, r.timestamp, r.rawBody, "sha256=00")).toBe(false);

    const old = Math.floor(Date.now() / 1000) - 301;
    const oldSignature = signWebhookBody(SECRET, old, r.rawBody);
    expect(verifyWebhookSignature(SECRET, old, r.rawBody, oldSignature)).toBe(false);
    expect(verifyWebhookSignature(SECRET, old, r.rawBody, oldSignature, 600)).toBe(true);
  });

  it("leaves the contact out of anonymous cases and cases without consent", async () => {
    await backend().deliver(filedCase({ anonymous: true }), "a");
    await backend().deliver(filedCase({ contact: null }), "b");
    for (const r of received) {
      const payload = JSON.parse(r.rawBody) as WebhookPayload;
      expect(payload.case.complaint.contact).toBeNull();
      expect(r.rawBody).not.toContain("13800000000");
      expect(r.verified).toBe(true);
    }
  });

  it("delivers without a remoteId when the receiver answers without one", async () => {
    answer = { status: 204, body: "" };
    expect(await backend().deliver(filedCase(), "k")).toEqual({ outcome: "delivered" });
  });

  it("answers retry on 503", async () => {
    answer = { status: 503, body: "维护中" };
    const r = await backend().deliver(filedCase(), "k");
    expect(r.outcome).toBe("retry");
    expect(r.outcome === "retry" && r.reason).toContain("503");
  });

  it("answers permanent on 403 with the status text and body", async () => {
    answer = { status: 403, body: "该小区未开通" };
    expect(await backend().deliver(filedCase(), "k")).toEqual({
      outcome: "permanent",
      reason: "HTTP 403 Forbidden：该小区未开通",
    });
  });

  it("answers retry when nothing listens", async () => {
    const gone = await listen(new Hono());
    await gone.close();
    const r = await new WebhookBackend({ url: `${gone.url}/hook`, secret: SECRET }).deliver(
      filedCase(),
      "k",
    );
    expect(r.outcome).toBe("retry");
  });
});
