import { createHash, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";
import type Database from "better-sqlite3";
import { DISTRICTS, type District } from "../bot/complaint.ts";
import type { ConsoleConfig } from "./config.ts";

export type Role = "admin" | "reviewer";

export const ROLE_LABELS: Record<Role, string> = { admin: "管理员", reviewer: "审核员" };

export interface ConsoleUser {
  id: number;
  username: string;
  displayName: string | null;
  role: Role;
  /** The districts a reviewer may see; empty for administrators, who see all. */
  districts: District[];
  disabled: boolean;
  createdAt: string;
}

export interface Session {
  idHash: string;
  user: ConsoleUser;
  csrf: string;
  expiresAt: string;
}

export type LoginResult =
  | { ok: true; user: ConsoleUser; token: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; until: Date };

// scrypt cost: N=2^15 takes ~50 ms here, slow enough to hurt guessing, fast enough for a login.
const SCRYPT_PARAMS = { N: 32768, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;
export const MIN_PASSWORD_LENGTH = 10;

function scryptAsync(
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, keylen, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

const MAXMEM = 128 * SCRYPT_PARAMS.N * SCRYPT_PARAMS.r * 2;

/** "scrypt$N$r$p$salt$hash", base64 salt and hash, so the cost can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = SCRYPT_PARAMS;
  const key = await scryptAsync(password, salt, KEY_LENGTH, { N, r, p, maxmem: MAXMEM });
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4] as string, "base64");
  const expected = Buffer.from(parts[5] as string, "base64");
  const key = await scryptAsync(password, salt, expected.length, {
    N,
    r,
    p,
    maxmem: 128 * N * r * 2,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A random token for a cookie or a form field. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Sessions are stored by hash, so a copy of the database cannot be used to log in. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const x = createHash("sha256").update(a).digest();
  const y = createHash("sha256").update(b).digest();
  return timingSafeEqual(x, y) && a === b;
}

export function validateUsername(username: string): string | undefined {
  if (!/^[A-Za-z0-9_.\-\u4e00-\u9fa5]{2,32}$/.test(username)) {
    return "用户名须为 2–32 位字母、数字、汉字或 _ . -";
  }
  return undefined;
}

export function validatePassword(password: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `密码至少 ${MIN_PASSWORD_LENGTH} 位`;
  if (password.length > 200) return "密码太长";
  return undefined;
}

/** "新华区,卫东区" (or with 、，) → districts; throws with the unknown name. */
export function parseDistricts(text: string): District[] {
  const names = text
    .split(/[,，、\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const out: District[] = [];
  for (const name of names) {
    if (!(DISTRICTS as readonly string[]).includes(name)) {
      throw new Error(`未知的区县：${name}（可选：${DISTRICTS.join("、")}）`);
    }
    if (!out.includes(name as District)) out.push(name as District);
  }
  return out;
}

type Row = Record<string, unknown>;

function toUser(r: Row): ConsoleUser {
  return {
    id: Number(r.id),
    username: String(r.username),
    displayName: r.display_name === null ? null : String(r.display_name),
    role: r.role as Role,
    districts: JSON.parse(String(r.districts)) as District[],
    disabled: r.disabled === 1,
    createdAt: String(r.created_at),
  };
}

/**
 * Accounts, sessions and login throttling, kept in the casebook file so a
 * restart neither logs staff out nor forgets a lock.
 */
export class ConsoleAuth {
  // A verify against this hash takes as long as a real one, so an unknown
  // username cannot be told from a wrong password by timing.
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly config: ConsoleConfig,
    private readonly now: () => Date,
  ) {}

  async createUser(input: {
    username: string;
    password: string;
    role: Role;
    districts?: District[];
    displayName?: string | null;
  }): Promise<ConsoleUser> {
    const problem = validateUsername(input.username) ?? validatePassword(input.password);
    if (problem) throw new Error(problem);
    if (input.role === "reviewer" && (input.districts ?? []).length === 0) {
      throw new Error("审核员至少要负责一个区县");
    }
    if (this.findUser(input.username)) throw new Error(`用户名 ${input.username} 已存在`);
    const hash = await hashPassword(input.password);
    const iso = this.now().toISOString();
    const result = this.db
      .prepare(
        `INSERT INTO console_users (username, display_name, password_hash, role, districts, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.username,
        input.displayName?.trim() || null,
        hash,
        input.role,
        JSON.stringify(input.role === "admin" ? [] : (input.districts ?? [])),
        iso,
        iso,
      );
    return this.getUser(Number(result.lastInsertRowid)) as ConsoleUser;
  }

  async setPassword(userId: number, password: string): Promise<void> {
    const problem = validatePassword(password);
    if (problem) throw new Error(problem);
    const hash = await hashPassword(password);
    const user = this.getUser(userId);
    this.db
      .transaction(() => {
        this.db
          .prepare("UPDATE console_users SET password_hash = ?, updated_at = ? WHERE id = ?")
          .run(hash, this.now().toISOString(), userId);
        // A new password ends every existing login of that account and lifts every lock on it.
        this.db.prepare("DELETE FROM console_sessions WHERE user_id = ?").run(userId);
        if (user) {
          this.db
            .prepare("DELETE FROM console_login_throttle WHERE key = ? OR key = ?")
            .run(accountKey(user.username), changeKey(user.username));
        }
      })
      .immediate();
  }

  /**
   * The current password of a logged-in user (changing it), under the same per-account
   * limit as logins, so a stolen session cannot be used to guess it.
   */
  async checkPassword(
    userId: number,
    password: string,
  ): Promise<{ ok: true } | { ok: false; locked?: Date }> {
    const user = this.getUser(userId);
    if (!user) return { ok: false };
    const key = changeKey(user.username);
    const reserved = this.reserve(key, this.config.accountMaxFailures);
    if (reserved !== true) return { ok: false, locked: reserved };
    const row = this.db
      .prepare("SELECT password_hash FROM console_users WHERE id = ?")
      .get(userId) as { password_hash: string } | undefined;
    if (row && (await verifyPassword(password, row.password_hash))) {
      this.release(key);
      return { ok: true };
    }
    const locked = this.settle(key, this.config.accountMaxFailures);
    return locked ? { ok: false, locked } : { ok: false };
  }

  setDisabled(userId: number, disabled: boolean): void {
    this.db.transaction(() => {
      this.db
        .prepare("UPDATE console_users SET disabled = ?, updated_at = ? WHERE id = ?")
        .run(disabled ? 1 : 0, this.now().toISOString(), userId);
      if (disabled) this.db.prepare("DELETE FROM console_sessions WHERE user_id = ?").run(userId);
    })();
  }

  findUser(username: string): ConsoleUser | undefined {
    const row = this.db.prepare("SELECT * FROM console_users WHERE username = ?").get(username) as
      | Row
      | undefined;
    return row ? toUser(row) : undefined;
  }

  getUser(id: number): ConsoleUser | undefined {
    const row = this.db.prepare("SELECT * FROM console_users WHERE id = ?").get(id) as
      | Row
      | undefined;
    return row ? toUser(row) : undefined;
  }

  listUsers(): ConsoleUser[] {
    return (
      this.db.prepare("SELECT * FROM console_users ORDER BY role, username").all() as Row[]
    ).map(toUser);
  }

  hasAdmin(): boolean {
    return (
      this.db
        .prepare("SELECT 1 FROM console_users WHERE role = 'admin' AND disabled = 0 LIMIT 1")
        .get() !== undefined
    );
  }

  // --- login and sessions ---------------------------------------------------

  /**
   * Every attempt is counted before the (slow) password check, in one write transaction, so
   * parallel guesses cannot all slip in before the first failure is recorded: at most
   * `accountMaxFailures` wrong passwords per account per window, however they arrive.
   * Address limits keep a guessing address away from accounts that never logged in from it,
   * while staff who have (an office behind one proxy) still get in with the right password.
   * A disabled account is answered like a wrong password, whatever the password.
   */
  async login(username: string, password: string, ip: string): Promise<LoginResult> {
    const account = accountKey(username);
    const address = `ip:${ip}`;
    const known = this.knownAddress(username, ip);
    const addressLock = known ? undefined : this.lockedUntil([address]);
    if (addressLock) return { ok: false, reason: "locked", until: addressLock };
    const reserved = this.reserve(account, this.config.accountMaxFailures);
    // While locked even the right password is refused, or the lock would only slow guessing.
    if (reserved !== true) return { ok: false, reason: "locked", until: reserved };

    const row = this.db.prepare("SELECT * FROM console_users WHERE username = ?").get(username) as
      | Row
      | undefined;
    this.dummyHash ??= hashPassword(newToken());
    const stored = row ? String(row.password_hash) : await this.dummyHash;
    const matches = (await verifyPassword(password, stored)) && row !== undefined;
    if (!matches || row.disabled === 1) {
      const accountLock = this.settle(account, this.config.accountMaxFailures);
      const ipLock = this.recordFailure(address, this.config.ipMaxFailures);
      const until = accountLock ?? (known ? undefined : ipLock);
      return until ? { ok: false, reason: "locked", until } : { ok: false, reason: "invalid" };
    }
    const user = toUser(row);
    this.release(account);
    this.db
      .prepare(
        `INSERT INTO console_known_addresses (username, ip, last_at) VALUES (?, ?, ?)
         ON CONFLICT(username, ip) DO UPDATE SET last_at = excluded.last_at`,
      )
      .run(username.toLowerCase(), ip, this.now().toISOString());

    const token = newToken();
    const now = this.now();
    const expires = new Date(now.getTime() + this.config.sessionHours * 3_600_000);
    this.db.prepare("DELETE FROM console_sessions WHERE expires_at <= ?").run(now.toISOString());
    this.db
      .prepare(
        "INSERT INTO console_sessions (id_hash, user_id, csrf_token, ip, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(tokenHash(token), user.id, newToken(), ip, now.toISOString(), expires.toISOString());
    return { ok: true, user, token };
  }

  private knownAddress(username: string, ip: string): boolean {
    const since = new Date(this.now().getTime() - this.config.knownAddressDays * 86_400_000);
    return (
      this.db
        .prepare(
          "SELECT 1 FROM console_known_addresses WHERE username = ? AND ip = ? AND last_at > ?",
        )
        .get(username.toLowerCase(), ip, since.toISOString()) !== undefined
    );
  }

  session(token: string | undefined): Session | undefined {
    if (!token || token.length > 100) return undefined;
    const row = this.db
      .prepare(
        `SELECT s.id_hash, s.csrf_token, s.expires_at, u.* FROM console_sessions s
         JOIN console_users u ON u.id = s.user_id
         WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled = 0`,
      )
      .get(tokenHash(token), this.now().toISOString()) as Row | undefined;
    if (!row) return undefined;
    return {
      idHash: String(row.id_hash),
      user: toUser(row),
      csrf: String(row.csrf_token),
      expiresAt: String(row.expires_at),
    };
  }

  logout(idHash: string): void {
    this.db.prepare("DELETE FROM console_sessions WHERE id_hash = ?").run(idHash);
  }

  /** One message shown on the next page the user opens (after a form's redirect). */
  setFlash(idHash: string, flash: { kind: "ok" | "error"; text: string }): void {
    this.db
      .prepare("UPDATE console_sessions SET flash = ? WHERE id_hash = ?")
      .run(JSON.stringify(flash), idHash);
  }

  takeFlash(idHash: string): { kind: "ok" | "error"; text: string } | undefined {
    const row = this.db
      .prepare("SELECT flash FROM console_sessions WHERE id_hash = ? AND flash IS NOT NULL")
      .get(idHash) as { flash: string } | undefined;
    if (!row) return undefined;
    this.db.prepare("UPDATE console_sessions SET flash = NULL WHERE id_hash = ?").run(idHash);
    return JSON.parse(row.flash) as { kind: "ok" | "error"; text: string };
  }

  // --- throttling -----------------------------------------------------------

  private lockedUntil(keys: string[]): Date | undefined {
    const nowIso = this.now().toISOString();
    let latest: string | undefined;
    for (const key of keys) {
      const row = this.db
        .prepare(
          "SELECT locked_until FROM console_login_throttle WHERE key = ? AND locked_until > ?",
        )
        .get(key, nowIso) as { locked_until: string } | undefined;
      if (row && (!latest || row.locked_until > latest)) latest = row.locked_until;
    }
    return latest ? new Date(latest) : undefined;
  }

  /**
   * Counts an attempt on `key` before it is checked; true when it may go ahead, else the end of
   * the lock (set now if this attempt is one too many). One IMMEDIATE transaction: concurrent
   * attempts (in this process or another) are counted one after another.
   */
  private reserve(key: string, max: number): true | Date {
    return this.db
      .transaction((): true | Date => {
        const now = this.now();
        const nowIso = now.toISOString();
        const row = this.db
          .prepare(
            "SELECT failures, window_start, locked_until FROM console_login_throttle WHERE key = ?",
          )
          .get(key) as
          | { failures: number; window_start: string; locked_until: string | null }
          | undefined;
        if (row?.locked_until && row.locked_until > nowIso) return new Date(row.locked_until);
        const windowStart = new Date(now.getTime() - this.config.failureWindowMinutes * 60_000);
        const fresh =
          !row || row.window_start < windowStart.toISOString() || row.locked_until !== null;
        const failures = fresh ? 0 : row.failures;
        if (failures >= max) {
          const until = new Date(now.getTime() + this.config.lockMinutes * 60_000);
          this.writeThrottle(key, 0, nowIso, until.toISOString());
          return until;
        }
        this.writeThrottle(
          key,
          failures + 1,
          fresh ? nowIso : (row as { window_start: string }).window_start,
          null,
        );
        return true;
      })
      .immediate();
  }

  /** After a wrong password: the reserved attempt stays counted; the last allowed one locks. */
  private settle(key: string, max: number): Date | undefined {
    return this.db
      .transaction((): Date | undefined => {
        const now = this.now();
        const row = this.db
          .prepare("SELECT failures, locked_until FROM console_login_throttle WHERE key = ?")
          .get(key) as { failures: number; locked_until: string | null } | undefined;
        if (row?.locked_until && row.locked_until > now.toISOString())
          return new Date(row.locked_until);
        if (!row || row.failures < max) return undefined;
        // After a lock the count starts again, so each lock costs another full round of guesses.
        const until = new Date(now.getTime() + this.config.lockMinutes * 60_000);
        this.writeThrottle(key, 0, now.toISOString(), until.toISOString());
        return until;
      })
      .immediate();
  }

  /** The right password: the account's count starts again (a lock set meanwhile stays). */
  private release(key: string): void {
    this.db
      .prepare("DELETE FROM console_login_throttle WHERE key = ? AND locked_until IS NULL")
      .run(key);
  }

  private writeThrottle(key: string, failures: number, start: string, locked: string | null): void {
    this.db
      .prepare(
        `INSERT INTO console_login_throttle (key, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
           locked_until = excluded.locked_until`,
      )
      .run(key, failures, start, locked);
  }

  /** Counts a wrong password for an address; returns the lock's end once it is locked. */
  private recordFailure(key: string, max: number): Date | undefined {
    const reserved = this.reserve(key, max);
    if (reserved !== true) return reserved;
    return this.settle(key, max);
  }
}

function accountKey(username: string): string {
  return `user:${username.toLowerCase()}`;
}

/** Changing one's own password has its own count, so a lock there does not stop logins. */
function changeKey(username: string): string {
  return `change:${username.toLowerCase()}`;
}
