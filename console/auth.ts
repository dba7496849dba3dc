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
  | { ok: false; reason: "invalid" | "disabled" }
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
    this.db.transaction(() => {
      this.db
        .prepare("UPDATE console_users SET password_hash = ?, updated_at = ? WHERE id = ?")
        .run(hash, this.now().toISOString(), userId);
      // A new password ends every existing login of that account, and lifts a lock.
      this.db.prepare("DELETE FROM console_sessions WHERE user_id = ?").run(userId);
      if (user) {
        this.db
          .prepare("DELETE FROM console_login_throttle WHERE key = ?")
          .run(accountKey(user.username));
      }
    })();
  }

  async checkPassword(userId: number, password: string): Promise<boolean> {
    const row = this.db
      .prepare("SELECT password_hash FROM console_users WHERE id = ?")
      .get(userId) as { password_hash: string } | undefined;
    return row !== undefined && (await verifyPassword(password, row.password_hash));
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

  async login(username: string, password: string, ip: string): Promise<LoginResult> {
    const keys = [accountKey(username), `ip:${ip}`];
    const locked = this.lockedUntil(keys);
    // While locked even the right password is refused, or the lock would only slow guessing.
    if (locked) return { ok: false, reason: "locked", until: locked };

    const row = this.db.prepare("SELECT * FROM console_users WHERE username = ?").get(username) as
      | Row
      | undefined;
    this.dummyHash ??= hashPassword(newToken());
    const stored = row ? String(row.password_hash) : await this.dummyHash;
    const matches = (await verifyPassword(password, stored)) && row !== undefined;
    if (!matches) {
      this.recordFailure(keys[0] as string, this.config.accountMaxFailures);
      this.recordFailure(keys[1] as string, this.config.ipMaxFailures);
      const nowLocked = this.lockedUntil(keys);
      return nowLocked
        ? { ok: false, reason: "locked", until: nowLocked }
        : { ok: false, reason: "invalid" };
    }
    const user = toUser(row);
    if (user.disabled) return { ok: false, reason: "disabled" };
    this.db.prepare("DELETE FROM console_login_throttle WHERE key = ?").run(keys[0]);

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

  private recordFailure(key: string, max: number): void {
    const now = this.now();
    const windowStartLimit = new Date(now.getTime() - this.config.failureWindowMinutes * 60_000);
    const row = this.db
      .prepare("SELECT failures, window_start FROM console_login_throttle WHERE key = ?")
      .get(key) as { failures: number; window_start: string } | undefined;
    const fresh = !row || row.window_start < windowStartLimit.toISOString();
    const failures = fresh ? 1 : row.failures + 1;
    const lock = failures >= max;
    this.db
      .prepare(
        `INSERT INTO console_login_throttle (key, failures, window_start, locked_until) VALUES (@key, @failures, @start, @locked)
         ON CONFLICT(key) DO UPDATE SET failures = @failures, window_start = @start, locked_until = @locked`,
      )
      .run({
        key,
        // After a lock the count starts again, so each lock costs another full round of guesses.
        failures: lock ? 0 : failures,
        start: fresh || lock ? now.toISOString() : row.window_start,
        locked: lock
          ? new Date(now.getTime() + this.config.lockMinutes * 60_000).toISOString()
          : null,
      });
  }
}

function accountKey(username: string): string {
  return `user:${username.toLowerCase()}`;
}
