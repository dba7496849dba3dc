import type { Urgency } from "../bot/complaint.ts";

export interface ConsoleConfig {
  /**
   * A case not closed by the end of the local day this many days after filing
   * is overdue (0 = the same day).
   */
  overdueDays: Record<Urgency, number>;
  /** How long a login lasts. */
  sessionHours: number;
  /** Wrong passwords for one account within the window before it is locked. */
  accountMaxFailures: number;
  /**
   * Wrong passwords from one address. Higher than the per-account limit
   * because an office (or a reverse proxy) puts many staff behind one address.
   */
  ipMaxFailures: number;
  failureWindowMinutes: number;
  lockMinutes: number;
  pageSize: number;
  /** Set when the console is served over HTTPS (behind a proxy), so cookies carry Secure. */
  secureCookies: boolean;
  /**
   * Reverse proxies whose X-Forwarded-For is believed (CONSOLE_TRUSTED_PROXIES). From anyone
   * else the header is ignored, so a client cannot pick the address it is throttled under.
   */
  trustedProxies: string[];
  /** How long a successful login makes an address "known" to that account. */
  knownAddressDays: number;
}

export const DEFAULT_CONFIG: ConsoleConfig = {
  overdueDays: { emergency: 0, high: 1, normal: 7 },
  sessionHours: 12,
  accountMaxFailures: 10,
  ipMaxFailures: 30,
  failureWindowMinutes: 15,
  lockMinutes: 15,
  pageSize: 20,
  secureCookies: false,
  trustedProxies: [],
  knownAddressDays: 90,
};

/** Parses "normal=7,high=1,emergency=0" (CONSOLE_OVERDUE_DAYS); unknown keys are an error. */
export function parseOverdueDays(
  text: string,
  base: Record<Urgency, number> = DEFAULT_CONFIG.overdueDays,
): Record<Urgency, number> {
  const out = { ...base };
  for (const part of text.split(/[,，]/)) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const m = /^(emergency|high|normal)\s*=\s*(\d{1,3})$/.exec(trimmed);
    if (!m) {
      throw new Error(`超期天数格式不对：“${trimmed}”，应为 normal=7,high=1,emergency=0`);
    }
    out[m[1] as Urgency] = Number(m[2]);
  }
  return out;
}
