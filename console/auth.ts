import { createHash, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";
import { DISTRICTS, type District } from "../bot/complaint.ts";
import type { ConsoleConfig } from "./config.ts";
import { type ConsoleDb, type ConsoleDbSource, consoleDb, type Row, type SqlRunner } from "./db.ts";

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

function toUser(r: Row): ConsoleUser {
  return {
    id: Number(r.id),
    username: String(r.username),
    displayName: r.display_name === null ? null : String(r.display_name),
    role: r.role as Role,
    districts: JSON.parse(String(r.districts)) as District[],
    // INTEGER 0/1 on SQLite, BOOLEAN on PostgreSQL.
    disabled: r.disabled === true || Number(r.disabled) === 1,
    createdAt: String(r.created_at),
  };
}

/**
 * Accounts, sessions and login throttling, kept in the shared database (the SQLite casebook
 * or PostgreSQL) so a restart neither logs staff out nor forgets a lock, and every console
 * process sees the same ones.
 */
export class ConsoleAuth {
  readonly db: ConsoleDb;
  // A verify against this hash takes as long as a real one, so an unknown
  // username cannot be told from a wrong password by timing.
  private dummyHash: Promise<string> | undefined;

  constructor(
    source: ConsoleDbSource,
    private readonly config: ConsoleConfig,
    private readonly now: () => Date,
  ) {
    this.db = consoleDb(source);
  }

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
    if (await this.findUser(input.username)) throw new Error(`用户名 ${input.username} 已存在`);
    const hash = await hashPassword(input.password);
    const iso = this.now().toISOString();
    const row = await this.db.get(
      `INSERT INTO console_users (username, display_name, password_hash, role, districts, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [
        input.username,
        input.displayName?.trim() || null,
        hash,
        input.role,
        JSON.stringify(input.role === "admin" ? [] : (input.districts ?? [])),
        iso,
        iso,
      ],
    );
    return toUser(row as Row);
  }

  async setPassword(userId: number, password: string): Promise<void> {
    const problem = validatePassword(password);
    if (problem) throw new Error(problem);
    const hash = await hashPassword(password);
    const user = await this.getUser(userId);
    await this.db.tx(async (tx) => {
      await tx.run("UPDATE console_users SET password_hash = ?, updated_at = ? WHERE id = ?", [
        hash,
        this.now().toISOString(),
        userId,
      ]);
      // A new password ends every existing login of that account and lifts every lock on it.
      await tx.run("DELETE FROM console_sessions WHERE user_id = ?", [userId]);
      if (user) {
        await tx.run("DELETE FROM console_login_throttle WHERE key = ? OR key = ?", [
          accountKey(user.username),
          changeKey(user.username),
        ]);
      }
    });
  }

  /**
   * The current password of a logged-in user (changing it), under the same per-account
   * limit as logins, so a stolen session cannot be used to guess it.
   */
  async checkPassword(
    userId: number,
    password: string,
  ): Promise<{ ok: true } | { ok: false; locked?: Date }> {
    const user = await this.getUser(userId);
    if (!user) return { ok: false };
    const key = changeKey(user.username);
    const reserved = await this.reserve(key, this.config.accountMaxFailures);
    if (reserved !== true) return { ok: false, locked: reserved };
    const row = await this.db.get("SELECT password_hash FROM console_users WHERE id = ?", [userId]);
    if (row && (await verifyPassword(password, String(row.password_hash)))) {
      await this.release(key);
      return { ok: true };
    }
    const locked = await this.settle(key, this.config.accountMaxFailures);
    return locked ? { ok: false, locked } : { ok: false };
  }

  async setDisabled(userId: number, disabled: boolean): Promise<void> {
    await this.db.tx(async (tx) => {
      await tx.run("UPDATE console_users SET disabled = ?, updated_at = ? WHERE id = ?", [
        disabled,
        this.now().toISOString(),
        userId,
      ]);
      if (disabled) await tx.run("DELETE FROM console_sessions WHERE user_id = ?", [userId]);
    });
  }

  /** Usernames are unique whatever their case. */
  async findUser(username: string): Promise<ConsoleUser | undefined> {
    const row = await this.db.get("SELECT * FROM console_users WHERE lower(username) = lower(?)", [
      username,
    ]);
    return row ? toUser(row) : undefined;
  }

  async getUser(id: number): Promise<ConsoleUser | undefined> {
    const row = await this.db.get("SELECT * FROM console_users WHERE id = ?", [id]);
    return row ? toUser(row) : undefined;
  }

  async listUsers(): Promise<ConsoleUser[]> {
    return (await this.db.all("SELECT * FROM console_users ORDER BY role, username")).map(toUser);
  }

  async hasAdmin(): Promise<boolean> {
    return (
      (await this.db.get(
        "SELECT 1 AS one FROM console_users WHERE role = 'admin' AND NOT disabled LIMIT 1",
      )) !== undefined
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
    const known = await this.knownAddress(username, ip);
    const addressLock = known ? undefined : await this.lockedUntil([address]);
    if (addressLock) return { ok: false, reason: "locked", until: addressLock };
    const reserved = await this.reserve(account, this.config.accountMaxFailures);
    // While locked even the right password is refused, or the lock would only slow guessing.
    if (reserved !== true) return { ok: false, reason: "locked", until: reserved };

    const row = await this.db.get("SELECT * FROM console_users WHERE lower(username) = lower(?)", [
      username,
    ]);
    this.dummyHash ??= hashPassword(newToken());
    const stored = row ? String(row.password_hash) : await this.dummyHash;
    const matches = (await verifyPassword(password, stored)) && row !== undefined;
    if (!matches || toUser(row).disabled) {
      const accountLock = await this.settle(account, this.config.accountMaxFailures);
      const ipLock = await this.recordFailure(address, this.config.ipMaxFailures);
      const until = accountLock ?? (known ? undefined : ipLock);
      return until ? { ok: false, reason: "locked", until } : { ok: false, reason: "invalid" };
    }
    const user = toUser(row);
    await this.release(account);
    await this.db.run(
      `INSERT INTO console_known_addresses (username, ip, last_at) VALUES (?, ?, ?)
       ON CONFLICT(username, ip) DO UPDATE SET last_at = excluded.last_at`,
      [username.toLowerCase(), ip, this.now().toISOString()],
    );

    const token = newToken();
    const now = this.now();
    const expires = new Date(now.getTime() + this.config.sessionHours * 3_600_000);
    await this.db.run("DELETE FROM console_sessions WHERE expires_at <= ?", [now.toISOString()]);
    await this.db.run(
      "INSERT INTO console_sessions (id_hash, user_id, csrf_token, ip, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
      [tokenHash(token), user.id, newToken(), ip, now.toISOString(), expires.toISOString()],
    );
    return { ok: true, user, token };
  }

  private async knownAddress(username: string, ip: string): Promise<boolean> {
    const since = new Date(this.now().getTime() - this.config.knownAddressDays * 86_400_000);
    return (
      (await this.db.get(
        "SELECT 1 AS one FROM console_known_addresses WHERE username = ? AND ip = ? AND last_at > ?",
        [username.toLowerCase(), ip, since.toISOString()],
      )) !== undefined
    );
  }

  async session(token: string | undefined): Promise<Session | undefined> {
    if (!token || token.length > 100) return undefined;
    const row = await this.db.get(
      `SELECT s.id_hash, s.csrf_token, s.expires_at, u.* FROM console_sessions s
       JOIN console_users u ON u.id = s.user_id
       WHERE s.id_hash = ? AND s.expires_at > ? AND NOT u.disabled`,
      [tokenHash(token), this.now().toISOString()],
    );
    if (!row) return undefined;
    return {
      idHash: String(row.id_hash),
      user: toUser(row),
      csrf: String(row.csrf_token),
      expiresAt: String(row.expires_at),
    };
  }

  async logout(idHash: string): Promise<void> {
    await this.db.run("DELETE FROM console_sessions WHERE id_hash = ?", [idHash]);
  }

  /** One message shown on the next page the user opens (after a form's redirect). */
  async setFlash(idHash: string, flash: { kind: "ok" | "error"; text: string }): Promise<void> {
    await this.db.run("UPDATE console_sessions SET flash = ? WHERE id_hash = ?", [
      JSON.stringify(flash),
      idHash,
    ]);
  }

  async takeFlash(idHash: string): Promise<{ kind: "ok" | "error"; text: string } | undefined> {
    const row = await this.db.get(
      "SELECT flash FROM console_sessions WHERE id_hash = ? AND flash IS NOT NULL",
      [idHash],
    );
    if (!row) return undefined;
    await this.db.run("UPDATE console_sessions SET flash = NULL WHERE id_hash = ?", [idHash]);
    return JSON.parse(String(row.flash)) as { kind: "ok" | "error"; text: string };
  }

  // --- throttling -----------------------------------------------------------

  private async lockedUntil(keys: string[]): Promise<Date | undefined> {
    const nowIso = this.now().toISOString();
    let latest: string | undefined;
    for (const key of keys) {
      const row = await this.db.get(
        "SELECT locked_until FROM console_login_throttle WHERE key = ? AND locked_until > ?",
        [key, nowIso],
      );
      const until = row ? String(row.locked_until) : undefined;
      if (until && (!latest || until > latest)) latest = until;
    }
    return latest ? new Date(latest) : undefined;
  }

  /**
   * The key's row, locked for the rest of the transaction: created first if missing (counting
   * nothing yet), so concurrent attempts on PostgreSQL queue on that row lock; SQLite's
   * IMMEDIATE transaction already runs them one after another.
   */
  private async lockThrottle(
    tx: SqlRunner,
    key: string,
    nowIso: string,
  ): Promise<{ failures: number; window_start: string; locked_until: string | null }> {
    await tx.run(
      "INSERT INTO console_login_throttle (key, failures, window_start, locked_until) VALUES (?, 0, ?, NULL) ON CONFLICT(key) DO NOTHING",
      [key, nowIso],
    );
    const row = (await tx.get(
      `SELECT failures, window_start, locked_until FROM console_login_throttle WHERE key = ?${tx.forUpdate}`,
      [key],
    )) as Row;
    return {
      failures: Number(row.failures),
      window_start: String(row.window_start),
      locked_until: row.locked_until === null ? null : String(row.locked_until),
    };
  }

  /**
   * Counts an attempt on `key` before it is checked; true when it may go ahead, else the end of
   * the lock (set now if this attempt is one too many). One transaction holding the key's row:
   * concurrent attempts (in this process or another) are counted one after another.
   */
  private reserve(key: string, max: number): Promise<true | Date> {
    return this.db.tx(async (tx): Promise<true | Date> => {
      const now = this.now();
      const nowIso = now.toISOString();
      const row = await this.lockThrottle(tx, key, nowIso);
      if (row.locked_until && row.locked_until > nowIso) return new Date(row.locked_until);
      const windowStart = new Date(now.getTime() - this.config.failureWindowMinutes * 60_000);
      const fresh = row.window_start < windowStart.toISOString() || row.locked_until !== null;
      const failures = fresh ? 0 : row.failures;
      if (failures >= max) {
        const until = new Date(now.getTime() + this.config.lockMinutes * 60_000);
        await this.writeThrottle(tx, key, 0, nowIso, until.toISOString());
        return until;
      }
      await this.writeThrottle(tx, key, failures + 1, fresh ? nowIso : row.window_start, null);
      return true;
    });
  }

  /** After a wrong password: the reserved attempt stays counted; the last allowed one locks. */
  private settle(key: string, max: number): Promise<Date | undefined> {
    return this.db.tx(async (tx): Promise<Date | undefined> => {
      const now = this.now();
      const row = await tx.get(
        `SELECT failures, locked_until FROM console_login_throttle WHERE key = ?${tx.forUpdate}`,
        [key],
      );
      const lockedUntil = row?.locked_until === null ? null : str(row?.locked_until);
      if (lockedUntil && lockedUntil > now.toISOString()) return new Date(lockedUntil);
      if (!row || Number(row.failures) < max) return undefined;
      // After a lock the count starts again, so each lock costs another full round of guesses.
      const until = new Date(now.getTime() + this.config.lockMinutes * 60_000);
      await this.writeThrottle(tx, key, 0, now.toISOString(), until.toISOString());
      return until;
    });
  }

  /** The right password: the account's count starts again (a lock set meanwhile stays). */
  private async release(key: string): Promise<void> {
    await this.db.run("DELETE FROM console_login_throttle WHERE key = ? AND locked_until IS NULL", [
      key,
    ]);
  }

  private async writeThrottle(
    tx: SqlRunner,
    key: string,
    failures: number,
    start: string,
    locked: string | null,
  ): Promise<void> {
    await tx.run(
      `INSERT INTO console_login_throttle (key, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
         locked_until = excluded.locked_until`,
      [key, failures, start, locked],
    );
  }

  /** Counts a wrong password for an address; returns the lock's end once it is locked. */
  private async recordFailure(key: string, max: number): Promise<Date | undefined> {
    const reserved = await this.reserve(key, max);
    if (reserved !== true) return reserved;
    return this.settle(key, max);
  }
}

const str = (v: unknown) => (v === null || v === undefined ? undefined : String(v));

function accountKey(username: string): string {
  return `user:${username.toLowerCase()}`;
}

/** Changing one's own password has its own count, so a lock there does not stop logins. */
function changeKey(username: string): string {
  return `change:${username.toLowerCase()}`;
}
