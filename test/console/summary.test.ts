import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsoleApp } from "../../console/app.ts";
import { ConsoleAuth } from "../../console/auth.ts";
import { DEFAULT_CONFIG } from "../../console/config.ts";
import { ConsoleStore } from "../../console/store.ts";
import {
  computeSummary,
  monthPeriod,
  type Summary,
  trendChart,
  weekPeriod,
} from "../../console/summary.ts";
import {
  CONSOLE_STORES,
  type ConsoleBook,
  HttpClient,
  listen,
  NO_KNOWLEDGE,
  openBook,
  seedBook,
  sharedPostgres,
  testClock,
} from "./support.ts";

const postgres = sharedPostgres();
afterAll(() => postgres.stop(), 30_000);

/**
 * A fixture of known cases around the week of Monday 2026-11-16 (local time,
 * UTC+8), judged on Wednesday 2026-11-25 12:00 local. Times are written in
 * local time with their +08:00 offset. Deadlines: emergency the same day,
 * high the next day, normal seven days, each to the end of the local day.
 */
const NOW = new Date("2026-11-25T12:00:00+08:00");
describe.each(CONSOLE_STORES)("on %s", (kind) => {
  const clock = testClock();
  let book: ConsoleBook;
  const ids: Record<string, { id: string; number: string }> = {};

  beforeAll(async () => {
    book = await openBook(kind, postgres, clock);
    // A: filed and closed in the week, on time.
    ids.A = await seedBook(book, {
      at: "2026-11-16T09:00:00+08:00",
      complaint: { category: "safety", district: "新华区", company: "鹰城物业", urgency: "high" },
      changes: [{ status: "closed", at: "2026-11-17T10:00:00+08:00" }],
    });
    // B: filed in the week, still new; due by the end of 11-23, so overdue now but not at week end.
    ids.B = await seedBook(book, {
      at: "2026-11-16T20:00:00+08:00",
      complaint: { category: "fees", district: "新华区", company: "鹰城物业", urgency: "normal" },
    });
    // C: an emergency filed and (late) closed in the week.
    ids.C = await seedBook(book, {
      at: "2026-11-18T10:00:00+08:00",
      complaint: {
        category: "safety",
        district: "卫东区",
        company: "平安物业",
        urgency: "emergency",
      },
      changes: [
        { status: "forwarded", at: "2026-11-18T11:00:00+08:00" },
        { status: "closed", at: "2026-11-19T09:00:00+08:00" },
      ],
    });
    // D: filed in the week, forwarded, no company; due by the end of 11-20: overdue.
    ids.D = await seedBook(book, {
      at: "2026-11-19T08:00:00+08:00",
      complaint: {
        category: "service_quality",
        district: "卫东区",
        company: null,
        urgency: "high",
      },
      changes: [{ status: "forwarded", at: "2026-11-19T09:00:00+08:00" }],
    });
    // E: filed late on Sunday (still the week), rejected the next Monday.
    ids.E = await seedBook(book, {
      at: "2026-11-22T23:30:00+08:00",
      complaint: {
        category: "governance",
        district: "湛河区",
        company: "鹰城物业",
        urgency: "normal",
      },
      changes: [{ status: "rejected", at: "2026-11-23T09:00:00+08:00" }],
    });
    // F: filed the week before, closed in the week.
    ids.F = await seedBook(book, {
      at: "2026-11-10T10:00:00+08:00",
      complaint: { category: "fees", district: "新华区", company: "平安物业", urgency: "normal" },
      changes: [{ status: "closed", at: "2026-11-20T15:00:00+08:00" }],
    });
    // G: filed the week before, in progress ever since: overdue, but neither filed nor closed in the week.
    ids.G = await seedBook(book, {
      at: "2026-11-12T10:00:00+08:00",
      complaint: { category: "safety", district: "新华区", company: null, urgency: "high" },
      changes: [{ status: "in_progress", at: "2026-11-12T12:00:00+08:00" }],
    });
    // H: 11-22 17:00 UTC is already Monday 11-23 locally: not in the week.
    ids.H = await seedBook(book, {
      at: "2026-11-23T01:00:00+08:00",
      complaint: { category: "fees", district: "新华区", urgency: "normal" },
    });
    // I: just after local midnight on Monday (still Sunday in UTC), unclassified, no district,
    // merged into A the same day.
    ids.I = await seedBook(book, {
      at: "2026-11-16T00:30:00+08:00",
      complaint: { category: null, district: null, company: null, urgency: "normal" },
      changes: [{ status: "duplicate", at: "2026-11-16T12:00:00+08:00" }],
    });
    // J: filed and closed weeks before; in no figure of the week.
    ids.J = await seedBook(book, {
      at: "2026-11-05T10:00:00+08:00",
      complaint: { category: "coverage", district: "郏县", urgency: "normal" },
      changes: [{ status: "closed", at: "2026-11-08T10:00:00+08:00" }],
    });
    clock.set(NOW);
  }, 60_000);

  afterAll(async () => book?.dispose());

  const row = (rows: Summary["byCategory"], key: string) => {
    const r = rows.find((x) => x.key === key);
    return r ? [r.filed, r.closed, r.overdue] : undefined;
  };

  describe("weekly summary (周汇总), 2026-11-16 to 2026-11-22", () => {
    const week = () =>
      computeSummary(book.store, DEFAULT_CONFIG, { all: true }, weekPeriod("2026-11-16"), NOW);

    it("counts filed, closed, open and overdue at the end of the week", async () => {
      const s = await week();
      // Filed: A B C D E I. Closed: A C F I. Open at week end: B D E G. Overdue then: D G.
      expect(s.asOf).toBe(new Date("2026-11-23T00:00:00+08:00").toISOString());
      expect(s.filed).toBe(6);
      expect(s.closed).toBe(4);
      expect(s.open).toBe(4);
      expect(s.overdue).toBe(2);
    });

    it("breaks the figures down by category", async () => {
      const s = await week();
      expect(row(s.byCategory, "governance")).toEqual([1, 0, 0]); // E
      expect(row(s.byCategory, "fees")).toEqual([1, 1, 0]); // B filed, F closed
      expect(row(s.byCategory, "safety")).toEqual([2, 2, 1]); // A C filed+closed, G overdue
      expect(row(s.byCategory, "service_quality")).toEqual([1, 0, 1]); // D
      expect(row(s.byCategory, "coverage")).toEqual([0, 0, 0]);
      expect(row(s.byCategory, "misconduct")).toEqual([0, 0, 0]);
      expect(row(s.byCategory, "other")).toEqual([0, 0, 0]);
      expect(row(s.byCategory, "未填写")).toEqual([1, 1, 0]); // I
      expect(s.byCategory.find((r) => r.key === "未填写")?.label).toBe("未分类");
    });

    it("breaks the figures down by district", async () => {
      const s = await week();
      expect(row(s.byDistrict, "新华区")).toEqual([2, 2, 1]); // A B filed, A F closed, G overdue
      expect(row(s.byDistrict, "卫东区")).toEqual([2, 1, 1]); // C D filed, C closed, D overdue
      expect(row(s.byDistrict, "湛河区")).toEqual([1, 0, 0]); // E
      expect(row(s.byDistrict, "郏县")).toEqual([0, 0, 0]); // J is outside the week
      expect(row(s.byDistrict, "未填写")).toEqual([1, 1, 0]); // I
      expect(s.byDistrict).toHaveLength(13);
    });

    it("breaks the figures down by property company, named ones first", async () => {
      const s = await week();
      expect(s.byCompany.map((r) => [r.key, r.filed, r.closed, r.overdue])).toEqual([
        ["鹰城物业", 3, 1, 0], // A B E filed, A closed
        ["平安物业", 1, 2, 0], // C filed, C F closed
        ["未填写", 2, 1, 2], // D I filed, I closed, D G overdue
      ]);
    });

    it("gives today's status of the cases filed in the week", async () => {
      const byStatus = Object.fromEntries((await week()).byStatus.map((r) => [r.status, r.count]));
      expect(byStatus).toEqual({
        new: 1, // B
        forwarded: 1, // D
        in_progress: 0,
        resolved: 0,
        closed: 2, // A C
        rejected: 1, // E
        duplicate: 1, // I
      });
    });

    it("gives daily filed and closed counts by local day", async () => {
      expect((await week()).daily).toEqual([
        { day: "2026-11-16", filed: 3, closed: 1 }, // A B I; I merged
        { day: "2026-11-17", filed: 0, closed: 1 }, // A
        { day: "2026-11-18", filed: 1, closed: 0 }, // C
        { day: "2026-11-19", filed: 1, closed: 1 }, // D; C
        { day: "2026-11-20", filed: 0, closed: 1 }, // F
        { day: "2026-11-21", filed: 0, closed: 0 },
        { day: "2026-11-22", filed: 1, closed: 0 }, // E
      ]);
    });

    it("counts only a reviewer's districts", async () => {
      const s = await computeSummary(
        book.store,
        DEFAULT_CONFIG,
        { all: false, districts: ["卫东区"] },
        weekPeriod("2026-11-16"),
        NOW,
      );
      expect([s.filed, s.closed, s.open, s.overdue]).toEqual([2, 1, 1, 1]); // C D; C; D; D
      expect(s.byDistrict.map((r) => r.key)).toEqual(["卫东区"]);
    });

    it("uses the configured deadlines", async () => {
      // With 30 days for every urgency nothing is overdue.
      const relaxed = { ...DEFAULT_CONFIG, overdueDays: { emergency: 30, high: 30, normal: 30 } };
      const s = await computeSummary(
        book.store,
        relaxed,
        { all: true },
        weekPeriod("2026-11-16"),
        NOW,
      );
      expect(s.overdue).toBe(0);
    });
  });

  describe("monthly summary (月调度), November 2026, judged now", () => {
    it("counts the month so far", async () => {
      const s = await computeSummary(
        book.store,
        DEFAULT_CONFIG,
        { all: true },
        monthPeriod("2026-11", "2026-12"),
        NOW,
      );
      expect(s.asOf).toBe(NOW.toISOString());
      expect(s.filed).toBe(10); // A–J
      expect(s.closed).toBe(6); // A C E F I J
      expect(s.open).toBe(4); // B D G H
      expect(s.overdue).toBe(3); // B (due end of 11-23), D, G; H is due end of 11-30
      expect(s.daily).toHaveLength(30);
      expect(s.daily.reduce((n, d) => n + d.filed, 0)).toBe(10);
      expect(s.daily.reduce((n, d) => n + d.closed, 0)).toBe(6);
    });
  });

  describe("the list's overdue filter and search", () => {
    it("finds the cases overdue now", async () => {
      const store = new ConsoleStore(book.store, DEFAULT_CONFIG, () => NOW);
      const { rows } = await store.listCases({ overdue: true }, { all: true }, undefined);
      expect(rows.map((r) => r.number).sort()).toEqual(
        [ids.B, ids.D, ids.G].map((c) => c?.number).sort(),
      );
      expect(rows.every((r) => r.overdue)).toBe(true);
    });

    it("searches descriptions with the full-text index and keeps it current after an edit", async () => {
      const own = await openBook(kind, postgres, testClock());
      try {
        const store = new ConsoleStore(own.store, DEFAULT_CONFIG, () => NOW);
        await seedBook(own, {
          at: "2026-11-24T10:00:00+08:00",
          complaint: { description: "地下车库有人飞线充电，存在火灾隐患", community: "湖滨小区" },
        });
        await seedBook(own, {
          at: "2026-11-24T11:00:00+08:00",
          complaint: { description: "电梯经常停运" },
        });
        const search = async (q: string) =>
          (await store.listCases({ q }, { all: true }, undefined)).rows.map((r) => r.community);
        expect(await search("飞线充电")).toEqual(["湖滨小区"]); // four characters: FTS5 trigram
        expect(await search("车库")).toEqual(["湖滨小区"]); // two characters: LIKE
        expect(await search("飞线 车库")).toEqual(["湖滨小区"]);
        expect(await search("电梯困人")).toEqual([]);
        expect(await search("100%")).toEqual([]);
        const id = (await store.listCases({ q: "飞线充电" }, { all: true }, undefined)).rows[0]
          ?.id as string;
        await store.action((tx) => store.updateFields(tx, id, { community: "明珠花园" }));
        expect(await search("明珠花园")).toEqual(["明珠花园"]);
        expect(await search("湖滨小区")).toEqual([]);
      } finally {
        await own.dispose();
      }
    });
  });

  describe("the trend chart", () => {
    it("draws filed and closed lines with d3", async () => {
      const s = await computeSummary(
        book.store,
        DEFAULT_CONFIG,
        { all: true },
        weekPeriod("2026-11-16"),
        NOW,
      );
      const svg = trendChart(s.daily, "测试");
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg.match(/<path class="trend-line trend-filed" d="M[\d.,LMC-]+"/)).not.toBeNull();
      expect(svg.match(/<path class="trend-line trend-closed" d="M[\d.,LMC-]+"/)).not.toBeNull();
      expect(svg.match(/<circle /g)).toHaveLength(14);
      expect(svg).toContain("每日新增");
      expect(svg).toContain("11-16");
    });
  });

  describe("the summary pages", () => {
    let server: Awaited<ReturnType<typeof listen>>;
    let client: HttpClient;

    beforeAll(async () => {
      const auth = new ConsoleAuth(book.store, DEFAULT_CONFIG, () => new Date());
      await auth.createUser({ username: "city", password: "city-password-1", role: "admin" });
      server = await listen(
        createConsoleApp({ store: book.store, knowledge: NO_KNOWLEDGE, now: () => NOW }),
      );
      client = new HttpClient(server.url);
      await client.login("city", "city-password-1");
    });

    afterAll(async () => server?.close());

    it("shows the week's figures and chart", async () => {
      const page = await (await client.get("/summary/week?start=2026-11-18")).text();
      expect(page).toContain("周汇总（2026-11-16 至 2026-11-22）");
      expect(page).toContain('data-figure="filed">6<');
      expect(page).toContain('data-figure="closed">4<');
      expect(page).toContain('data-figure="overdue">2<');
      expect(page).toContain('<svg class="trend-chart"');
      expect(page).toContain('href="/summary/week?start=2026-11-23"');
    });

    it("exports the week as CSV with a BOM", async () => {
      const res = await client.get("/summary/week.csv?start=2026-11-16");
      expect(res.headers.get("content-type")).toContain("text/csv");
      expect(res.headers.get("content-disposition")).toContain("filename*=UTF-8''");
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes);
      expect(text).toContain("本期新增,6");
      expect(text).toContain("鹰城物业,3,1,0");
      expect(text).toContain("2026-11-16,3,1");
    });

    it("shows and exports the month", async () => {
      const page = await (await client.get("/summary/month?month=2026-11")).text();
      expect(page).toContain("月调度（2026年11月）");
      expect(page).toContain('data-figure="filed">10<');
      const csv = await (await client.get("/summary/month.csv?month=2026-11")).text();
      expect(csv).toContain("超期未办结,3");
    });

    it("exports the ledger of the current filter with outcomes", async () => {
      const res = await client.get("/ledger.csv?district=卫东区");
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes);
      const lines = text.trim().split("\r\n");
      expect(lines).toHaveLength(3); // header + C + D
      expect(lines[0]).toContain("处理结果");
      expect(text).toContain(ids.C?.number);
      expect(text).toContain(ids.D?.number);
      expect(text).toContain("超期办结"); // C: an emergency closed the next day
    });
  });
});
