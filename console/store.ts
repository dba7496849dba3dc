import type Database from "better-sqlite3";
import {
  CATEGORY_PLAN_KEY,
  type CaseStatus,
  type Category,
  type District,
  type Urgency,
} from "../bot/complaint.ts";
import type { ConsoleUser } from "./auth.ts";
import type { ConsoleConfig } from "./config.ts";
import { addDays, dayStart } from "./time.ts";

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

type Row = Record<string, unknown>;
type Params = Record<string, string | number | null>;

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** `LIKE` pattern for a substring, with the wildcards in it taken literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * SQL for the instant a case becomes overdue: the end of the local day
 * `overdueDays[urgency]` days after the local day it was filed.
 */
export function deadlineSql(config: ConsoleConfig, alias = "c"): string {
  const days = (u: Urgency) => Math.max(0, Math.trunc(config.overdueDays[u]));
  return `strftime('%Y-%m-%dT%H:%M:%fZ', date(${alias}.created_at, '+8 hours'), '+' || (CASE ${alias}.urgency WHEN 'emergency' THEN ${days("emergency")} WHEN 'high' THEN ${days("high")} ELSE ${days("normal")} END + 1) || ' days', '-8 hours')`;
}

/** When a case reached its current final status; null while it is open. */
export function closedAtSql(alias = "c"): string {
  return `(CASE WHEN ${alias}.status IN ${FINAL_SQL} THEN (SELECT MAX(h.at) FROM status_history h WHERE h.case_id = ${alias}.id AND h.status = ${alias}.status) END)`;
}

/** Where-clauses shared by the list, the ledger, the CSV export and the summaries. */
export function filterSql(
  filter: CaseFilter,
  scope: Scope,
  config: ConsoleConfig,
  nowIso: string,
): { where: string; params: Params } {
  const clauses: string[] = [];
  const params: Params = {};
  if (!scope.all) {
    if (scope.districts.length === 0) clauses.push("0");
    else {
      const names = scope.districts.map((d, i) => {
        params[`scope${i}`] = d;
        return `@scope${i}`;
      });
      clauses.push(`c.district IN (${names.join(", ")})`);
    }
  }
  if (filter.status) {
    clauses.push("c.status = @status");
    params.status = filter.status;
  }
  if (filter.category === "none") clauses.push("c.category IS NULL");
  else if (filter.category) {
    clauses.push("c.category = @category");
    params.category = filter.category;
  }
  if (filter.district === "none") clauses.push("c.district IS NULL");
  else if (filter.district) {
    clauses.push("c.district = @district");
    params.district = filter.district;
  }
  if (filter.community) {
    clauses.push("c.community LIKE @community ESCAPE '\\'");
    params.community = likePattern(filter.community);
  }
  if (filter.company) {
    clauses.push("c.company LIKE @company ESCAPE '\\'");
    params.company = likePattern(filter.company);
  }
  if (filter.urgency) {
    clauses.push("c.urgency = @urgency");
    params.urgency = filter.urgency;
  }
  if (filter.from) {
    clauses.push("c.created_at >= @from");
    params.from = dayStart(filter.from);
  }
  if (filter.to) {
    clauses.push("c.created_at < @to");
    params.to = dayStart(addDays(filter.to, 1));
  }
  if (filter.assignee) {
    clauses.push("c.assignee = @assignee");
    params.assignee = filter.assignee;
  }
  if (filter.overdue) {
    clauses.push(`c.status NOT IN ${FINAL_SQL} AND ${deadlineSql(config)} <= @now`);
    params.now = nowIso;
  }
  searchTerms(filter.q).forEach((term, i) => {
    const key = `q${i}`;
    // The trigram index needs at least three characters; shorter words (电梯, 漏水) are scanned.
    if ([...term].length >= 3) {
      clauses.push(`c.id IN (SELECT case_id FROM cases_fts WHERE cases_fts MATCH @${key})`);
      params[key] = `"${term.replace(/"/g, '""')}"`;
    } else {
      clauses.push(
        `(c.description LIKE @${key} ESCAPE '\\' OR c.location LIKE @${key} ESCAPE '\\' OR c.community LIKE @${key} ESCAPE '\\' OR c.company LIKE @${key} ESCAPE '\\')`,
      );
      params[key] = likePattern(term);
    }
  });
  return { where: clauses.length > 0 ? clauses.join(" AND ") : "1", params };
}

export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return q
    .split(/[\s,，、]+/)
    .map((t) => t.trim().slice(0, 50))
    .filter(Boolean)
    .slice(0, 5);
}

/** Case queries and the console's own records (audit trail, notes). */
export class ConsoleStore {
  constructor(
    readonly db: Database.Database,
    private readonly config: ConsoleConfig,
    private readonly now: () => Date,
  ) {}

  private selectCases(where: string): string {
    return `SELECT c.*, d.number AS duplicate_number, ${closedAtSql()} AS closed_at,
        ${deadlineSql(this.config)} AS deadline
      FROM cases c LEFT JOIN cases d ON d.id = c.duplicate_of
      WHERE ${where}`;
  }

  private toRow(r: Row, nowIso: string): CaseRow {
    const status = r.status as CaseStatus;
    const deadline = String(r.deadline);
    return {
      id: String(r.id),
      number: String(r.number),
      category: str(r.category) as Category | null,
      district: str(r.district) as District | null,
      community: str(r.community),
      company: str(r.company),
      location: str(r.location),
      urgency: r.urgency as Urgency,
      status,
      description: String(r.description),
      assignee: str(r.assignee),
      duplicateOf: str(r.duplicate_of),
      duplicateOfNumber: str(r.duplicate_number),
      outcome: str(r.outcome),
      createdAt: String(r.created_at),
      updatedAt: String(r.updated_at),
      closedAt: str(r.closed_at),
      deadline,
      overdue: !FINAL_STATUSES.includes(status) && deadline <= nowIso,
    };
  }

  /** One page of cases, open emergencies first, then newest first. */
  listCases(
    filter: CaseFilter,
    scope: Scope,
    page: { offset: number; limit: number } | undefined,
  ): { rows: CaseRow[]; total: number } {
    const nowIso = this.now().toISOString();
    const { where, params } = filterSql(filter, scope, this.config, nowIso);
    const total = (
      this.db.prepare(`SELECT COUNT(*) AS n FROM cases c WHERE ${where}`).get(params) as {
        n: number;
      }
    ).n;
    const order = `ORDER BY CASE WHEN c.urgency = 'emergency' AND c.status NOT IN ${FINAL_SQL} THEN 0 ELSE 1 END, c.created_at DESC, c.number DESC`;
    const limit = page ? ` LIMIT ${Math.trunc(page.limit)} OFFSET ${Math.trunc(page.offset)}` : "";
    const rows = this.db
      .prepare(`${this.selectCases(where)} ${order}${limit}`)
      .all(params) as Row[];
    return { rows: rows.map((r) => this.toRow(r, nowIso)), total };
  }

  caseByNumber(number: string): CaseRow | undefined {
    const row = this.db.prepare(this.selectCases("c.number = @number")).get({ number }) as
      | Row
      | undefined;
    return row ? this.toRow(row, this.now().toISOString()) : undefined;
  }

  /** Community and company names already on file (for the filter's suggestions). */
  knownValues(column: "community" | "company", scope: Scope): string[] {
    const { where, params } = filterSql({}, scope, this.config, this.now().toISOString());
    return (
      this.db
        .prepare(
          `SELECT DISTINCT c.${column} AS v FROM cases c WHERE ${where} AND c.${column} IS NOT NULL AND c.${column} <> '' ORDER BY v LIMIT 200`,
        )
        .all(params) as { v: string }[]
    ).map((r) => r.v);
  }

  history(caseId: string): HistoryEntry[] {
    return (
      this.db
        .prepare(
          "SELECT status, note, actor, source, at FROM status_history WHERE case_id = ? ORDER BY at, id",
        )
        .all(caseId) as Row[]
    ).map((r) => ({
      status: r.status as CaseStatus,
      note: str(r.note),
      actor: String(r.actor),
      source: String(r.source),
      at: String(r.at),
    }));
  }

  updateFields(
    caseId: string,
    fields: Partial<
      Record<
        "category" | "district" | "community" | "urgency" | "location" | "company",
        string | null
      >
    >,
  ): void {
    const names = Object.keys(fields) as (keyof typeof fields)[];
    if (names.length === 0) return;
    const sets = names.map((n) => `${n} = @${n}`).join(", ");
    this.db
      .prepare(`UPDATE cases SET ${sets}, updated_at = @updatedAt WHERE id = @id`)
      .run({ ...fields, updatedAt: this.now().toISOString(), id: caseId });
  }

  /** The legal basis always includes the plan action of the case's category; follow a correction. */
  replacePlanKey(caseId: string, from: Category | null, to: Category | null): void {
    const row = this.db.prepare("SELECT legal_basis FROM cases WHERE id = ?").get(caseId) as {
      legal_basis: string;
    };
    const oldKey = from ? CATEGORY_PLAN_KEY[from] : undefined;
    const newKey = to ? CATEGORY_PLAN_KEY[to] : undefined;
    let keys = (JSON.parse(row.legal_basis) as string[]).filter((k) => k !== oldKey);
    if (newKey && !keys.includes(newKey)) keys = [...keys, newKey];
    this.db
      .prepare("UPDATE cases SET legal_basis = ? WHERE id = ?")
      .run(JSON.stringify(keys), caseId);
  }

  setColumn(caseId: string, column: "assignee" | "outcome" | "duplicate_of", value: string | null) {
    this.db
      .prepare(`UPDATE cases SET ${column} = ?, updated_at = ? WHERE id = ?`)
      .run(value, this.now().toISOString(), caseId);
  }

  // --- audit trail and notes --------------------------------------------------

  audit(entry: {
    caseId?: string | null;
    user?: ConsoleUser | null;
    actor?: string;
    action: string;
    detail?: Record<string, unknown>;
  }): void {
    this.db
      .prepare(
        "INSERT INTO console_audit (case_id, user_id, actor, action, detail, at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(
        entry.caseId ?? null,
        entry.user?.id ?? null,
        entry.actor ?? entry.user?.username ?? "system",
        entry.action,
        JSON.stringify(entry.detail ?? {}),
        this.now().toISOString(),
      );
  }

  auditFor(caseId: string): AuditEntry[] {
    return this.auditRows("WHERE a.case_id = ? ORDER BY a.id", [caseId]);
  }

  recentAudit(limit: number, offset: number): AuditEntry[] {
    return this.auditRows(
      `ORDER BY a.id DESC LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`,
      [],
    );
  }

  private auditRows(tail: string, args: unknown[]): AuditEntry[] {
    return (
      this.db
        .prepare(
          `SELECT a.*, c.number AS case_number FROM console_audit a LEFT JOIN cases c ON c.id = a.case_id ${tail}`,
        )
        .all(...args) as Row[]
    ).map((r) => ({
      id: Number(r.id),
      caseId: str(r.case_id),
      caseNumber: str(r.case_number),
      actor: String(r.actor),
      action: String(r.action),
      detail: JSON.parse(String(r.detail)) as Record<string, unknown>,
      at: String(r.at),
    }));
  }

  addNote(caseId: string, user: ConsoleUser, text: string): void {
    this.db
      .prepare("INSERT INTO console_notes (case_id, user_id, text, at) VALUES (?, ?, ?, ?)")
      .run(caseId, user.id, text, this.now().toISOString());
  }

  notes(caseId: string): NoteEntry[] {
    return (
      this.db
        .prepare(
          `SELECT n.id, n.text, n.at, u.username FROM console_notes n JOIN console_users u ON u.id = n.user_id
           WHERE n.case_id = ? ORDER BY n.id`,
        )
        .all(caseId) as Row[]
    ).map((r) => ({
      id: Number(r.id),
      author: String(r.username),
      text: String(r.text),
      at: String(r.at),
    }));
  }
}
