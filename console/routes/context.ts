import { stringify } from "csv-stringify/sync";
import type { Context } from "hono";
import type { CaseStore } from "../../adapters/cases/case-store.ts";
import type { Casebook } from "../../adapters/cases/casebook.ts";
import type { KnowledgeBase } from "../../knowledge/knowledge-base.ts";
import type { ConsoleAuth, ConsoleUser, Session } from "../auth.ts";
import type { ConsoleConfig } from "../config.ts";
import type { ConsoleStore } from "../store.ts";

export interface ConsoleOptions {
  /** The shared database: the bots' store (SQLite or PostgreSQL), or a SQLite casebook. */
  store: CaseStore | Casebook;
  /** For the legal basis: the citation and the article text of each key. */
  knowledge: Pick<KnowledgeBase, "unit" | "citation">;
  /** The case backend "approve and forward" queues a case for (e.g. "open311"). */
  forwardBackend?: string | undefined;
  now?: () => Date;
  config?: Partial<ConsoleConfig>;
}

export type Env = { Variables: { session: Session } };
export type Ctx = Context<Env>;

export const SESSION_COOKIE = "wuye_console";
export const LOGIN_COOKIE = "wuye_console_login";

/** Any local path, never another site (//evil.example or a scheme). */
export function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : "/cases";
}

export function field(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "string" ? first : "";
}

export function fields(body: Record<string, unknown>, name: string): string[] {
  const v = body[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === "string");
}

export function oneOf<T extends string>(
  values: readonly T[],
  v: string | undefined,
): T | undefined {
  return v !== undefined && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** "::ffff:127.0.0.1" and "127.0.0.1" are one address. */
export function plainAddress(address: string): string {
  return address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
}

/**
 * The address a request comes from: the socket's peer, or, when that peer is a trusted reverse
 * proxy, the last X-Forwarded-For hop that is not one of the trusted proxies.
 */
export function clientAddress(
  peer: string,
  forwardedFor: string | undefined,
  trusted: readonly string[],
): string {
  const trust = new Set(trusted.map(plainAddress));
  let address = plainAddress(peer);
  if (!trust.has(address) || !forwardedFor) return address;
  const hops = forwardedFor.split(",").map(plainAddress).filter(Boolean);
  while (hops.length > 0 && trust.has(address)) address = hops.pop() as string;
  return address;
}

export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  // A resident's words must not become a spreadsheet formula when staff open the file.
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvBody(rows: unknown[][]): string {
  return `\uFEFF${stringify(
    rows.map((r) => r.map(csvCell)),
    { record_delimiter: "\r\n" },
  )}`;
}

export function csvResponse(c: Ctx, name: string, body: string): Response {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_");
  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header(
    "Content-Disposition",
    `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  );
  return c.body(body);
}

/** What every route module works with: the casebook, the console's stores and page helpers. */
export interface ConsoleDeps {
  /** Filed cases and their outbox, on the console's database. */
  cases: CaseStore;
  knowledge: ConsoleOptions["knowledge"];
  options: ConsoleOptions;
  now: () => Date;
  config: ConsoleConfig;
  auth: ConsoleAuth;
  store: ConsoleStore;
  /** What a page needs of the session: user, CSRF token, a flash message on GET. */
  ctxOf(
    c: Ctx,
    active?: string,
  ): Promise<{
    user: ConsoleUser;
    csrf: string;
    flash: { kind: "ok" | "error"; text: string } | undefined;
    active?: string;
  }>;
  /** Redirects after a form with a message for the next page. */
  done(c: Ctx, to: string, text: string, kind?: "ok" | "error"): Promise<Response>;
  forbidden(c: Ctx, message: string): Promise<Response>;
  requireAdmin(c: Ctx): Promise<Response | undefined>;
  clientIp(c: Ctx): string;
  cookieOptions: {
    httpOnly: true;
    sameSite: "Strict";
    secure: boolean;
    path: "/";
  };
}
