import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { FiledCase } from "../../bot/complaint.ts";
import type { CaseBackend, DeliveryResult } from "./case-backend.ts";
import { deliveryFailure, parseJson, sendHttp } from "./http-delivery.ts";

export const WebhookConfigSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  /** Shared with the receiver, which checks X-Wuye-Signature with it. */
  secret: z.string().min(1),
  timeoutMs: z.number().int().positive().optional(),
});
export type WebhookConfig = z.infer<typeof WebhookConfigSchema>;

/** The JSON body the webhook receives. */
export interface WebhookPayload {
  case: FiledCase;
  sent_at: string;
}

/** The case as it may leave the bot: contact only when the resident gave it and isn't anonymous. */
export function outgoingCase(filed: FiledCase): FiledCase {
  const c = filed.complaint;
  if (!c.anonymous && c.contact) return filed;
  return { ...filed, complaint: { ...c, contact: null } };
}

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<rawBody>")>` */
export function signWebhookBody(
  secret: string,
  timestamp: number | string,
  rawBody: string,
): string {
  const hmac = createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex");
  return `sha256=${hmac}`;
}

/**
 * Checks a delivery's X-Wuye-Signature against its X-Wuye-Timestamp (unix seconds) and the raw
 * body exactly as received. Timestamps further than `toleranceSeconds` from now are refused, so a
 * captured request can't be replayed later.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number | null | undefined,
  rawBody: string,
  signatureHeader: string | null | undefined,
  toleranceSeconds = 300,
): boolean {
  if (timestamp === null || timestamp === undefined || !signatureHeader) return false;
  const ts = String(timestamp);
  if (!/^\d{1,12}$/.test(ts)) return false;
  if (Math.abs(Math.floor(Date.now() / 1000) - Number(ts)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhookBody(secret, ts, rawBody));
  const given = Buffer.from(signatureHeader.trim());
  // timingSafeEqual throws on unequal lengths; the length of a well-formed signature is public anyway.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** POSTs each case as signed JSON to one URL. */
export class WebhookBackend implements CaseBackend {
  readonly name = "webhook";
  private readonly config: WebhookConfig;

  constructor(config: WebhookConfig) {
    this.config = WebhookConfigSchema.parse(config);
  }

  async deliver(filed: FiledCase, idempotencyKey: string): Promise<DeliveryResult> {
    const payload: WebhookPayload = {
      case: outgoingCase(filed),
      sent_at: new Date().toISOString(),
    };
    const rawBody = JSON.stringify(payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await sendHttp(
      this.config.url,
      {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Idempotency-Key": idempotencyKey,
          "X-Wuye-Timestamp": String(timestamp),
          "X-Wuye-Signature": signWebhookBody(this.config.secret, timestamp, rawBody),
        },
        body: rawBody,
      },
      this.config.timeoutMs,
    );
    if (res.outcome !== "ok") return deliveryFailure(res);
    const answer = parseJson(res.body);
    const id =
      answer !== null && typeof answer === "object" && "id" in answer ? answer.id : undefined;
    return (typeof id === "string" && id !== "") || typeof id === "number"
      ? { outcome: "delivered", remoteId: String(id) }
      : { outcome: "delivered" };
  }
}
