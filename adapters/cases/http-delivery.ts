import { STATUS_CODES } from "node:http";
import type { DeliveryResult } from "./case-backend.ts";

export const DEFAULT_TIMEOUT_MS = 10_000;

/** A failed exchange, already in the shape `deliver` returns. */
export type HttpFailure = Exclude<DeliveryResult, { outcome: "delivered" }>;

/** A 2xx answer with its body, or a classified failure (with the HTTP status, if there was one). */
export type HttpOutcome =
  | { outcome: "ok"; status: number; body: string }
  | (HttpFailure & { status?: number });

const BODY_SNIPPET_CHARS = 300;

/**
 * One HTTP exchange with a deadline. Never throws: every way it can go wrong
 * becomes `retry` (worth trying again later) or `permanent` (the server said no).
 */
export async function sendHttp(
  url: string | URL,
  init: RequestInit,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
): Promise<HttpOutcome> {
  try {
    // The signal also bounds reading the body, so a server that stalls mid-answer times out too.
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    return classifyResponse(res.status, res.statusText, body);
  } catch (error) {
    return { outcome: "retry", reason: describeNetworkError(error, timeoutMs) };
  }
}

export function classifyResponse(status: number, statusText: string, body: string): HttpOutcome {
  if (status >= 200 && status < 300) return { outcome: "ok", status, body };
  const reason = open311ErrorDescription(body) ?? statusReason(status, statusText, body);
  const transient = status === 408 || status === 429 || status >= 500;
  return { outcome: transient ? "retry" : "permanent", reason, status };
}

/** The failure as `deliver` returns it, without the transport details. */
export function deliveryFailure(failure: HttpFailure, prefix = ""): HttpFailure {
  return { outcome: failure.outcome, reason: `${prefix}${failure.reason}` };
}

/** Parsed JSON, or undefined when the body is not JSON. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Cuts `text` to at most `max` UTF-16 units, ending in "…", without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Open311 error bodies look like `[{"code":400,"description":"..."}]`. */
function open311ErrorDescription(body: string): string | undefined {
  const parsed = parseJson(body);
  if (!Array.isArray(parsed)) return undefined;
  const descriptions = parsed
    .map((entry: unknown) =>
      entry !== null && typeof entry === "object" && "description" in entry
        ? entry.description
        : undefined,
    )
    .filter((d): d is string => typeof d === "string" && d.trim() !== "");
  return descriptions.length > 0 ? descriptions.join("；") : undefined;
}

function statusReason(status: number, statusText: string, body: string): string {
  const text = statusText || STATUS_CODES[status] || "";
  const head = `HTTP ${status}${text ? ` ${text}` : ""}`;
  const snippet = body.replace(/\s+/g, " ").trim().slice(0, BODY_SNIPPET_CHARS);
  return snippet ? `${head}：${snippet}` : head;
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `请求超时（${timeoutMs} 毫秒内无响应）`;
  }
  // undici reports the socket-level cause (ECONNREFUSED, ENOTFOUND…) under `cause`.
  const cause = error instanceof Error ? error.cause : undefined;
  const code =
    cause !== null && typeof cause === "object" && "code" in cause && typeof cause.code === "string"
      ? cause.code
      : cause instanceof Error
        ? cause.message
        : error instanceof Error
          ? error.message
          : String(error);
  return `无法连接服务器（${code}）`;
}
