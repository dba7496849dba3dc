import {
  CATEGORY_PLAN_KEY,
  type CaseStatus,
  type Category,
  type District,
  type Urgency,
} from "../bot/complaint.ts";
import type { ConsoleUser } from "./auth.ts";
import type { ConsoleConfig } from "./config.ts";
import {
  type ConsoleDb,
  type ConsoleDbSource,
  type ConsoleTx,
  consoleDb,
  type Row,
  type SqlRunner,
} from "./db.ts";
import { addDays, dayStart, localDay } from "./time.ts";

/** Statuses after which a case needs nothing more (对账销号). */
export const FINAL_STATUSES: readonly CaseStatus[] = ["closed", "rejected", "duplicate"];
const FINAL_SQL = "('closed', 'rejected', 'duplicate')";

export interface CaseFilter {
  status?: CaseStatus;
  /** "none" for cases the bot could not classify. */
  category?: Category | "none";
  district?: District | "none";
  community?: string;
  company?: string;
  urgency?: Urgency;
  /** Local days, inclusive. */
  from?: string;
  to?: string;
  q?: string;
  overdue?: boolean;
  assignee?: string;
}

/** What one user may see: everything, or the cases of some districts. */
export type Scope = { all: true } | { all: false; districts: readonly string[] };

export function scopeOf(user: ConsoleUser): Scope {
  return user.role === "admin" ? { all: true } : { all: false, districts: user.districts };
}

export function inScope(scope: Scope, district: string | null): boolean {
  return scope.all || (district !== null && scope.districts.includes(district));
}

export interface CaseRow {
  id: string;
  number: string;
  category: Category | null;
  district: District | null;
  community: string | null;
  company: string | null;
  location: string | null;
  urgency: Urgency;
  status: CaseStatus;
  description: string;
  assignee: string | null;
  duplicateOf: string | null;
  duplicateOfNumber: string | null;
  outcome: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  deadline: string;
  overdue: boolean;
}

export interface HistoryEntry {
  status: CaseStatus;
  note: string | null;
  actor: string;
  source: string;
  at: string;
}

export interface AuditEntry {
  id: number;
  caseId: string | null;
  caseNumber: string | null;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
  at: string;
}

export interface NoteEntry {
  id: number;
  author: string;
  text: string;
  at: string;
}

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** `LIKE` pattern for a substring, with the wildcards in it taken literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function overdueDays(config: ConsoleConfig, urgency: Urgency): number {
  return Math.max(0, Math.trunc(config.overdueDays[urgency] ?? config.overdueDays.normal));
}

/**
 * The instant a case becomes overdue: the end of the local day `overdueDays[urgency]` days
 * after the local day it was filed. Computed here, so both databases agree to the millisecond.
 */
export function deadlineOf(config: ConsoleConfig, createdAt: string, urgency: Urgency): string {
  return dayStart(addDays(localDay(createdAt), overdueDays(config, urgency) + 1));
}

/**
 * Open cases past their deadline at `nowIso`. A deadline is the start of a local day, so it
 * has passed exactly when the case was filed before the start of the local day
 * `overdueDays` days before today: one comparison per urgency, the same on both databases.
 */
function overdueClause(config: ConsoleConfig, nowIso: string, params: unknown[]): string {
  const today = localDay(nowIso);
  const cutoff = (u: Urgency) => dayStart(addDays(today, -overdueDays(config, u)));
  params.push(cutoff("emergency"), cutoff("high"), cutoff("normal"));
  return `c.status NOT IN ${FINAL_SQL} AND ((c.urgency = 'emergency' AND c.created_at < ?) OR (c.urgency = 'high' AND c.created_at < ?) OR (c.urgency NOT IN ('emergency', 'high') AND c.created_at < ?))`;
}

/** When a case reached its current final status; null while it is open. */
export function closedAtSql(alias = "c"): string {
  return `(CASE WHEN ${alias}.status IN ${FINAL_SQL} THEN (SELECT MAX(h.at) FROM status_history h WHERE h.case_id = ${alias}.id AND h.status = ${alias}.status) END)`;
}

const SEARCHED = ["c.description", "c.location", "c.community", "c.company"];

/** Where-clauses shared by the list, the ledger, the CSV export and the summaries. */
export function filterSql(
  kind: SqlRunner["kind"],
  filter: CaseFilter,
  scope: Scope,
  config: ConsoleConfig,
  nowIso: string,
): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (!scope.all) {
    if (scope.districts.length === 0) clauses.push("1 = 0");
    else {
      clauses.push(`c.district IN (${scope.districts.map(() => "?").join(", ")})`);
      params.push(...scope.districts);
    }
  }
  const equal = (column: string, value: unknown) => {
    clauses.push(`${column} = ?`);
    params.push(value);
  };
  if (filter.status) equal("c.status", filter.status);
  if (filter.category === "none") clauses.push("c.category IS NULL");
  else if (filter.category) equal("c.category", filter.category);
  if (filter.district === "none") clauses.push("c.district IS NULL");
  else if (filter.district) equal("c.district", filter.district);
  // LIKE ignores ASCII case on SQLite; ILIKE does on PostgreSQL.
  const like = kind === "postgres" ? "ILIKE" : "LIKE";
  if (filter.community) {
    clauses.push(`c.community ${like} ? ESCAPE '\\'`);
    params.push(likePattern(filter.community));
  }
  if (filter.company) {
    clauses.push(`c.company ${like} ? ESCAPE '\\'`);
    params.push(likePattern(filter.company));
  }
  if (filter.urgency) equal("c.urgency", filter.urgency);
  if (filter.from) {
    clauses.push("c.created_at >= ?");
    params.push(dayStart(filter.from));
  }
  if (filter.to) {
    clauses.push("c.created_at < ?");
    params.push(dayStart(addDays(filter.to, 1)));
  }
  if (filter.assignee) equal("c.assignee", filter.assignee);
  if (filter.overdue) clauses.push(overdueClause(config, nowIso, params));
  for (const term of searchTerms(filter.q)) {
    // SQLite's trigram index needs at least three characters; shorter words (电梯, 漏水) are
    // scanned. PostgreSQL scans with ILIKE, which finds the same cases.
    if (kind === "sqlite" && [...term].length >= 3) {
      clauses.push("c.id IN (SELECT case_id FROM cases_fts WHERE cases_fts MATCH ?)");
      params.push(`"${term.replace(/"/g, '""')}"`);
    } else {
      clauses.push(`(${SEARCHED.map((col) => `${col} ${like} ? ESCAPE '\\'`).join(" OR ")})`);
      for (const _ of SEARCHED) params.push(likePattern(term));
    }
  }
  return { where: clauses.length > 0 ? clauses.join(" AND ") : "1 = 1", params };
}

export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return q
    .split(/[\s,，、]+/)
    .map((t) => t.trim().slice(0, 50))
    .filter(Boolean)
    .slice(0, 5);
}

type CaseFields = Partial<
  Record<"category" | "district" | "community" | "urgency" | "location" | "company", string | null>
>;

/** Case queries and the console's own records (audit trail, notes), on SQLite or PostgreSQL. */
export class ConsoleStore {
  readonly db: ConsoleDb;

  constructor(
    source: ConsoleDbSource,
    private readonly config: ConsoleConfig,
    private readonly now: () => Date,
  ) {
    this.db = consoleDb(source);
  }

  private selectCases(where: string): string {
    return `SELECT c.*, d.number AS duplicate_number, ${closedAtSql()} AS closed_at
      FROM cases c LEFT JOIN cases d ON d.id = c.duplicate_of
      WHERE ${where}`;
  }

  private toRow(r: Row, nowIso: string): CaseRow {
    const status = r.status as CaseStatus;
    const urgency = r.urgency as Urgency;
    const createdAt = String(r.created_at);
    const deadline = deadlineOf(this.config, createdAt, urgency);
    return {
      id: String(r.id),
      number: String(r.number),
      category: str(r.category) as Category | null,
      district: str(r.district) as District | null,
      community: str(r.community),
      company: str(r.company),
      location: str(r.location),
      urgency,
      status,
      description: String(r.description),
      assignee: str(r.assignee),
      duplicateOf: str(r.duplicate_of),
      duplicateOfNumber: str(r.duplicate_number),
      outcome: str(r.outcome),
      createdAt,
      updatedAt: String(r.updated_at),
      closedAt: str(r.closed_at),
      deadline,
      overdue: !FINAL_STATUSES.includes(status) && deadline <= nowIso,
    };
  }

  /** One page of cases, open emergencies first, then newest first. */
  async listCases(
    filter: CaseFilter,
    scope: Scope,
    page: { offset: number; limit: number } | undefined,
  ): Promise<{ rows: CaseRow[]; total: number }> {
    const nowIso = this.now().toISOString();
    const { where, params } = filterSql(this.db.kind, filter, scope, this.config, nowIso);
    const count = await this.db.get(`SELECT COUNT(*) AS n FROM cases c WHERE ${where}`, params);
    const order = `ORDER BY CASE WHEN c.urgency = 'emergency' AND c.status NOT IN ${FINAL_SQL} THEN 0 ELSE 1 END, c.created_at DESC, c.number DESC`;
    const limit = page ? ` LIMIT ${Math.trunc(page.limit)} OFFSET ${Math.trunc(page.offset)}` : "";
    const rows = await this.db.all(`${this.selectCases(where)} ${order}${limit}`, params);
    return { rows: rows.map((r) => this.toRow(r, nowIso)), total: Number(count?.n ?? 0) };
  }

  async caseByNumber(number: string): Promise<CaseRow | undefined> {
    const row = await this.db.get(this.selectCases("c.number = ?"), [number]);
    return row ? this.toRow(row, this.now().toISOString()) : undefined;
  }

  /** Community and company names already on file (for the filter's suggestions). */
  async knownValues(column: "community" | "company", scope: Scope): Promise<string[]> {
    const { where, params } = filterSql(
      this.db.kind,
      {},
      scope,
      this.config,
      this.now().toISOString(),
    );
    const rows = await this.db.all(
      `SELECT DISTINCT c.${column} AS v FROM cases c WHERE ${where} AND c.${column} IS NOT NULL AND c.${column} <> '' ORDER BY v LIMIT 200`,
      params,
    );
    return rows.map((r) => String(r.v));
  }

  async history(caseId: string): Promise<HistoryEntry[]> {
    const rows = await this.db.all(
      "SELECT status, note, actor, source, at FROM status_history WHERE case_id = ? ORDER BY at, id",
      [caseId],
    );
    return rows.map((r) => ({
      status: r.status as CaseStatus,
      note: str(r.note),
      actor: String(r.actor),
      source: String(r.source),
      at: String(r.at),
    }));
  }

  /** Runs a staff action as one transaction: the case change, the console's records and the audit. */
  action<T>(fn: (tx: ConsoleTx) => Promise<T>): Promise<T> {
    return this.db.tx(fn);
  }

  async updateFields(tx: ConsoleTx, caseId: string, fields: CaseFields): Promise<void> {
    const names = Object.keys(fields) as (keyof CaseFields)[];
    if (names.length === 0) return;
    const sets = names.map((n) => `${n} = ?`).join(", ");
    await tx.run(`UPDATE cases SET ${sets}, updated_at = ? WHERE id = ?`, [
      ...names.map((n) => fields[n] ?? null),
      this.now().toISOString(),
      caseId,
    ]);
  }

  /** The legal basis always includes the plan action of the case's category; follow a correction. */
  async replacePlanKey(
    tx: ConsoleTx,
    caseId: string,
    from: Category | null,
    to: Category | null,
  ): Promise<void> {
    const row = await tx.get(`SELECT legal_basis FROM cases WHERE id = ?${tx.forUpdate}`, [caseId]);
    const oldKey = from ? CATEGORY_PLAN_KEY[from] : undefined;
    const newKey = to ? CATEGORY_PLAN_KEY[to] : undefined;
    let keys = (JSON.parse(String(row?.legal_basis ?? "[]")) as string[]).filter(
      (k) => k !== oldKey,
    );
    if (newKey && !keys.includes(newKey)) keys = [...keys, newKey];
    await tx.run("UPDATE cases SET legal_basis = ? WHERE id = ?", [JSON.stringify(keys), caseId]);
  }

  async setColumn(
    tx: ConsoleTx,
    caseId: string,
    column: "assignee" | "outcome" | "duplicate_of",
    value: string | null,
  ): Promise<void> {
    await tx.run(`UPDATE cases SET ${column} = ?, updated_at = ? WHERE id = ?`, [
      value,
      this.now().toISOString(),
      caseId,
    ]);
  }

  // --- audit trail and notes --------------------------------------------------

  /** Records an entry, inside a staff action's transaction or on its own. */
  async audit(
    entry: {
      caseId?: string | null;
      user?: ConsoleUser | null;
      actor?: string;
      action: string;
      detail?: Record<string, unknown>;
    },
    tx: SqlRunner = this.db,
  ): Promise<void> {
    await tx.run(
      "INSERT INTO console_audit (case_id, user_id, actor, action, detail, at) VALUES (?, ?, ?, ?, ?, ?)",
      [
        entry.caseId ?? null,
        entry.user?.id ?? null,
        entry.actor ?? entry.user?.username ?? "system",
        entry.action,
        JSON.stringify(entry.detail ?? {}),
        this.now().toISOString(),
      ],
    );
  }

  auditFor(caseId: string): Promise<AuditEntry[]> {
    return this.auditRows("WHERE a.case_id = ? ORDER BY a.id", [caseId]);
  }

  recentAudit(limit: number, offset: number): Promise<AuditEntry[]> {
    return this.auditRows(
      `ORDER BY a.id DESC LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`,
      [],
    );
  }

  private async auditRows(tail: string, args: unknown[]): Promise<AuditEntry[]> {
    const rows = await this.db.all(
      `SELECT a.*, c.number AS case_number FROM console_audit a LEFT JOIN cases c ON c.id = a.case_id ${tail}`,
      args,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      caseId: str(r.case_id),
      caseNumber: str(r.case_number),
      actor: String(r.actor),
      action: String(r.action),
      detail: JSON.parse(String(r.detail)) as Record<string, unknown>,
      at: String(r.at),
    }));
  }

  async addNote(tx: ConsoleTx, caseId: string, user: ConsoleUser, text: string): Promise<void> {
    await tx.run("INSERT INTO console_notes (case_id, user_id, text, at) VALUES (?, ?, ?, ?)", [
      caseId,
      user.id,
      text,
      this.now().toISOString(),
    ]);
  }

  async notes(caseId: string): Promise<NoteEntry[]> {
    const rows = await this.db.all(
      `SELECT n.id, n.text, n.at, u.username FROM console_notes n JOIN console_users u ON u.id = n.user_id
       WHERE n.case_id = ? ORDER BY n.id`,
      [caseId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      author: String(r.username),
      text: String(r.text),
      at: String(r.at),
    }));
  }
}
