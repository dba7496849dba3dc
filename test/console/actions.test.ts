import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsoleApp } from "../../console/app.ts";
import { ConsoleAuth } from "../../console/auth.ts";
import { DEFAULT_CONFIG } from "../../console/config.ts";
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
 * What staff do to a case, through the pages, on either database: each action changes the
 * case, tells the resident, queues the delivery and is recorded in the audit trail together.
 */
describe.each(CONSOLE_STORES)("case actions on %s", (kind) => {
  let book: ConsoleBook;
  let server: Awaited<ReturnType<typeof listen>>;
  let admin: HttpClient;
  const clock = testClock();

  beforeAll(async () => {
    book = await openBook(kind, postgres, clock);
    const auth = new ConsoleAuth(book.store, DEFAULT_CONFIG, clock.now);
    await auth.createUser({ username: "admin", password: "admin-password-1", role: "admin" });
    await auth.createUser({
      username: "xinhua",
      password: "xinhua-password-1",
      role: "reviewer",
      districts: ["新华区"],
    });
    clock.set(null);
    server = await listen(
      createConsoleApp({
        store: book.store,
        knowledge: NO_KNOWLEDGE,
        forwardBackend: "open311",
        now: clock.now,
      }),
    );
    admin = new HttpClient(server.url);
    expect((await admin.login("admin", "admin-password-1")).status).toBe(303);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await book?.dispose();
  });

  async function act(number: string, name: string, form: Record<string, string>) {
    const token = await admin.csrfFrom(`/cases/${number}`);
    const res = await admin.post(`/cases/${number}/${name}`, { ...form, _csrf: token });
    expect(res.status).toBe(303);
    return (await admin.get(res.headers.get("location") ?? "/cases")).text();
  }

  const audit = async (caseId: string) =>
    (
      await book.sql("SELECT action FROM console_audit WHERE case_id = ? ORDER BY id", [caseId])
    ).map((r) => r.action);

  it("forwards a case: queued for the backend, the resident told, recorded", async () => {
    const c = await seedBook(book, { at: new Date().toISOString() });
    clock.set(null);
    const page = await act(c.number, "forward", { note: "请物业三日内处理" });
    expect(page).toContain("已排队通过“open311”转交");
    expect((await book.store.get(c.id))?.status).toBe("forwarded");
    expect((await book.store.outboxFor(c.id)).map((e) => [e.backend, e.state])).toEqual([
      ["open311", "pending"],
    ]);
    const told = (await book.store.pendingNotifications()).filter((n) => n.caseId === c.id);
    expect(told.map((n) => n.text).join()).toContain("请物业三日内处理");
    expect(await audit(c.id)).toEqual(["forward"]);
  });

  it("assigns, edits (following the plan key), notes and closes with an outcome", async () => {
    const c = await seedBook(book, {
      at: new Date().toISOString(),
      complaint: { category: "service_quality", community: "建设路小区" },
    });
    clock.set(null);
    await act(c.number, "assign", { assignee: "xinhua" });
    await act(c.number, "edit", {
      category: "fees",
      district: "新华区",
      urgency: "high",
      community: "建设路小区",
      location: "3号楼",
      company: "鹰城物业",
    });
    await act(c.number, "note", { text: "已电话联系物业经理" });
    const page = await act(c.number, "close", { outcome: "物业已退还多收的费用" });
    expect(page).toContain("已电话联系物业经理");
    const rows = await book.sql(
      "SELECT assignee, category, urgency, company, outcome, status, legal_basis FROM cases WHERE id = ?",
      [c.id],
    );
    expect(rows[0]).toMatchObject({
      assignee: "xinhua",
      category: "fees",
      urgency: "high",
      company: "鹰城物业",
      outcome: "物业已退还多收的费用",
      status: "closed",
    });
    expect(await audit(c.id)).toEqual(["assign", "edit", "note", "close"]);
    // The ledger lists it with its outcome; the list filters find it by company.
    const ledger = await (await admin.get("/ledger.csv?company=鹰城")).text();
    expect(ledger).toContain(c.number);
    expect(ledger).toContain("物业已退还多收的费用");
  });

  it("merges a duplicate into another case and refuses to merge a case into itself", async () => {
    const first = await seedBook(book, { at: new Date().toISOString(), sender: "r7" });
    const second = await seedBook(book, { at: new Date().toISOString(), sender: "r8" });
    clock.set(null);
    const self = await act(second.number, "duplicate", { of: second.number });
    expect(self).toContain("不能把投诉标记为与自己");
    await act(second.number, "duplicate", { of: first.number.toLowerCase() });
    const rows = await book.sql("SELECT status, duplicate_of, outcome FROM cases WHERE id = ?", [
      second.id,
    ]);
    expect(rows[0]).toEqual({
      status: "duplicate",
      duplicate_of: first.id,
      outcome: `与 ${first.number} 合并处理`,
    });
    const page = await (await admin.get(`/cases/${second.number}`)).text();
    expect(page).toContain(first.number);
    expect(await audit(second.id)).toEqual(["duplicate"]);
  });

  it("finds cases by a word of the description, whatever its length", async () => {
    const c = await seedBook(book, {
      at: new Date().toISOString(),
      complaint: { description: "地下车库积水严重，电梯间也进水了" },
    });
    clock.set(null);
    for (const q of ["积水", "地下车库积水", "车库 电梯间"]) {
      const list = await (await admin.get(`/cases?q=${encodeURIComponent(q)}`)).text();
      expect(list, q).toContain(c.number);
    }
    const none = await (await admin.get(`/cases?q=${encodeURIComponent("车库漏电")}`)).text();
    expect(none).not.toContain(c.number);
  });
});
