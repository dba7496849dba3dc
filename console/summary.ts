import { scaleLinear, scalePoint } from "d3-scale";
import { line } from "d3-shape";
import {
  CASE_STATUSES,
  CATEGORIES,
  type CaseStatus,
  DISTRICTS,
  type Urgency,
} from "../bot/complaint.ts";
import type { ConsoleConfig } from "./config.ts";
import { type ConsoleDbSource, consoleDb } from "./db.ts";
import { escapeHtml } from "./html.ts";
import { CATEGORY_SHORT, STATUS_SHORT } from "./labels.ts";
import { closedAtSql, deadlineOf, filterSql, type Scope } from "./store.ts";
import { addDays, dayStart, daysBetween, localDay } from "./time.ts";

export interface Period {
  kind: "week" | "month";
  /** First local day. */
  from: string;
  /** The local day after the last one. */
  to: string;
}

export interface BreakdownRow {
  key: string;
  label: string;
  /** Filed in the period. */
  filed: number;
  /** Closed (办结、不予受理或合并) in the period. */
  closed: number;
  /** Open and past its deadline at the end of the period (or now, for the current one). */
  overdue: number;
}

export interface Summary {
  period: Period;
  /** The moment "overdue" and "still open" are judged at. */
  asOf: string;
  filed: number;
  closed: number;
  overdue: number;
  /** Filed before the end of the period and not closed by then. */
  open: number;
  byCategory: BreakdownRow[];
  byDistrict: BreakdownRow[];
  byCompany: BreakdownRow[];
  /** Today's status of the cases filed in the period. */
  byStatus: { status: CaseStatus; label: string; count: number }[];
  daily: { day: string; filed: number; closed: number }[];
}

interface Fact {
  category: string | null;
  district: string | null;
  company: string | null;
  status: CaseStatus;
  created_at: string;
  closed_at: string | null;
  deadline: string;
}

export const NOT_GIVEN = "未填写";

/** The figures of one 周汇总 or 月调度, for the cases the scope may see. */
export async function computeSummary(
  source: ConsoleDbSource,
  config: ConsoleConfig,
  scope: Scope,
  period: Period,
  now: Date,
): Promise<Summary> {
  const db = consoleDb(source);
  const startIso = dayStart(period.from);
  const endIso = dayStart(period.to);
  const nowIso = now.toISOString();
  const asOf = new Date(Math.min(Date.parse(endIso), now.getTime())).toISOString();
  const { where, params } = filterSql(db.kind, {}, scope, config, nowIso);
  const rows = await db.all(
    `SELECT * FROM (
       SELECT c.category, c.district, c.company, c.status, c.urgency, c.created_at,
         ${closedAtSql()} AS closed_at
       FROM cases c WHERE ${where} AND c.created_at < ?
     ) AS f WHERE closed_at IS NULL OR closed_at >= ?`,
    [...params, endIso, startIso],
  );
  const facts: Fact[] = rows.map((r) => ({
    category: r.category === null ? null : String(r.category),
    district: r.district === null ? null : String(r.district),
    company: r.company === null ? null : String(r.company),
    status: r.status as CaseStatus,
    created_at: String(r.created_at),
    closed_at: r.closed_at === null ? null : String(r.closed_at),
    deadline: deadlineOf(config, String(r.created_at), r.urgency as Urgency),
  }));

  const filedIn = (f: Fact) => f.created_at >= startIso && f.created_at < endIso;
  const closedIn = (f: Fact) =>
    f.closed_at !== null && f.closed_at >= startIso && f.closed_at < endIso;
  const openAt = (f: Fact) => f.created_at < asOf && (f.closed_at === null || f.closed_at > asOf);
  const overdueAt = (f: Fact) => openAt(f) && f.deadline <= asOf;

  const breakdown = (
    keyOf: (f: Fact) => string | null,
    keys: { key: string; label: string }[],
    keepEmpty: boolean,
  ): BreakdownRow[] => {
    const rows = new Map(keys.map((k) => [k.key, { ...k, filed: 0, closed: 0, overdue: 0 }]));
    for (const f of facts) {
      const key = keyOf(f) ?? NOT_GIVEN;
      let row = rows.get(key);
      if (!row) {
        row = { key, label: key, filed: 0, closed: 0, overdue: 0 };
        rows.set(key, row);
      }
      if (filedIn(f)) row.filed++;
      if (closedIn(f)) row.closed++;
      if (overdueAt(f)) row.overdue++;
    }
    return [...rows.values()].filter((r) => keepEmpty || r.filed + r.closed + r.overdue > 0);
  };

  const districts = scope.all
    ? [...DISTRICTS]
    : DISTRICTS.filter((d) => scope.districts.includes(d));
  const byCompany = breakdown((f) => f.company?.trim() || null, [], false).sort(
    (a, b) =>
      Number(a.key === NOT_GIVEN) - Number(b.key === NOT_GIVEN) ||
      b.filed - a.filed ||
      b.overdue - a.overdue ||
      a.label.localeCompare(b.label, "zh-CN"),
  );

  const filed = facts.filter(filedIn);
  const days = daysBetween(period.from, period.to);
  const daily = days.map((day) => ({ day, filed: 0, closed: 0 }));
  const index = new Map(days.map((d, i) => [d, i]));
  for (const f of facts) {
    if (filedIn(f)) {
      const i = index.get(localDay(f.created_at));
      if (i !== undefined) (daily[i] as { filed: number }).filed++;
    }
    if (closedIn(f)) {
      const i = index.get(localDay(f.closed_at as string));
      if (i !== undefined) (daily[i] as { closed: number }).closed++;
    }
  }

  return {
    period,
    asOf,
    filed: filed.length,
    closed: facts.filter(closedIn).length,
    overdue: facts.filter(overdueAt).length,
    open: facts.filter(openAt).length,
    byCategory: breakdown(
      (f) => f.category,
      [
        ...CATEGORIES.map((c) => ({ key: c, label: CATEGORY_SHORT[c] })),
        { key: NOT_GIVEN, label: "未分类" },
      ],
      true,
    ).filter((r) => r.key !== NOT_GIVEN || r.filed + r.closed + r.overdue > 0),
    byDistrict: breakdown(
      (f) => f.district,
      districts.map((d) => ({ key: d, label: d })),
      true,
    ),
    byCompany,
    byStatus: CASE_STATUSES.map((status) => ({
      status,
      label: STATUS_SHORT[status],
      count: filed.filter((f) => f.status === status).length,
    })),
    daily,
  };
}

export function weekPeriod(monday: string): Period {
  return { kind: "week", from: monday, to: addDays(monday, 7) };
}

export function monthPeriod(month: string, next: string): Period {
  return { kind: "month", from: `${month}-01`, to: `${next}-01` };
}

const CHART = { width: 720, height: 280, left: 44, right: 16, top: 36, bottom: 40 };
export const TREND_COLORS = { filed: "#c0392b", closed: "#1e7d4f" };

/**
 * Daily filed-versus-closed lines as a self-contained SVG (no script, no
 * style attribute), so it prints and passes a strict content security policy.
 */
export function trendChart(daily: Summary["daily"], title: string): string {
  const { width, height, left, right, top, bottom } = CHART;
  const x = scalePoint<string>()
    .domain(daily.map((d) => d.day))
    .range([left, width - right])
    .padding(0.3);
  const max = Math.max(1, ...daily.flatMap((d) => [d.filed, d.closed]));
  const y = scaleLinear()
    .domain([0, max])
    .nice()
    .range([height - bottom, top]);
  const ticks = y.ticks(Math.min(5, Math.max(1, y.domain()[1] as number))).filter(Number.isInteger);
  const path = (key: "filed" | "closed") =>
    line<Summary["daily"][number]>()
      .x((d) => x(d.day) ?? left)
      .y((d) => y(d[key]))(daily) ?? "";
  const every = daily.length <= 10 ? 1 : Math.ceil(daily.length / 8);
  const xLabels = daily
    .map((d, i) => ({ d, i }))
    .filter(({ i }) => i % every === 0 || i === daily.length - 1)
    .map(
      ({ d }) =>
        `<text x="${(x(d.day) ?? 0).toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle" class="tick">${escapeHtml(d.day.slice(5))}</text>`,
    );
  const yTicks = ticks.map(
    (t) =>
      `<line x1="${left}" x2="${width - right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e3e3e3"/>` +
      `<text x="${left - 8}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" class="tick">${t}</text>`,
  );
  const dots = (key: "filed" | "closed") =>
    daily
      .map(
        (d) =>
          `<circle cx="${(x(d.day) ?? 0).toFixed(1)}" cy="${y(d[key]).toFixed(1)}" r="3" fill="${TREND_COLORS[key]}"><title>${escapeHtml(`${d.day} ${key === "filed" ? "新增" : "办结"} ${d[key]} 件`)}</title></circle>`,
      )
      .join("");
  const legend = (key: "filed" | "closed", label: string, at: number) =>
    `<line x1="${at}" x2="${at + 24}" y1="16" y2="16" stroke="${TREND_COLORS[key]}" stroke-width="2.5"/>` +
    `<text x="${at + 30}" y="20" class="legend">${label}</text>`;
  return [
    `<svg class="trend-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${escapeHtml(title)}</title>`,
    ...yTicks,
    `<line x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}" stroke="#999"/>`,
    ...xLabels,
    `<path class="trend-line trend-filed" d="${path("filed")}" fill="none" stroke="${TREND_COLORS.filed}" stroke-width="2.5"/>`,
    `<path class="trend-line trend-closed" d="${path("closed")}" fill="none" stroke="${TREND_COLORS.closed}" stroke-width="2.5" stroke-dasharray="6 3"/>`,
    dots("filed"),
    dots("closed"),
    legend("filed", "每日新增", left),
    legend("closed", "每日办结", left + 120),
    "</svg>",
  ].join("");
}
