import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
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

const ADMIN = { username: "admin", password: "admin-password-1" };
const XINHUA = { username: "xinhua", password: "xinhua-password-1" };
const WEIDONG = { username: "weidong", password: "weidong-password-1" };
const PHONE = "13912345678";

const postgres = sharedPostgres();
afterAll(() => postgres.stop(), 30_000);

describe.each(CONSOLE_STORES)("on %s", (kind) => {
  let book: ConsoleBook;
  let server: Awaited<ReturnType<typeof listen>>;
  let weidongCase: { id: string; number: string };
  let xinhuaCase: { id: string; number: string };
  const clock = testClock();

  beforeAll(async () => {
    book = await openBook(kind, postgres, clock);
    const auth = new ConsoleAuth(book.store, DEFAULT_CONFIG, clock.now);
    await auth.createUser({ ...ADMIN, role: "admin" });
    await auth.createUser({ ...XINHUA, role: "reviewer", districts: ["新华区"] });
    await auth.createUser({ ...WEIDONG, role: "reviewer", districts: ["卫东区"] });
    const today = new Date();
    weidongCase = await seedBook(book, {
      at: today.toISOString(),
      complaint: {
        district: "卫东区",
        community: "鹰城花园",
        category: "safety",
        description: "楼道飞线充电<script>alert(1)</script>",
        contact: { name: "王女士", phone: PHONE },
      },
    });
    xinhuaCase = await seedBook(book, {
      at: today.toISOString(),
      complaint: { district: "新华区", community: "建设路小区" },
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
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await book?.dispose();
  });

  beforeEach(async () => {
    clock.set(null);
    // Each test starts unthrottled.
    await book.sql("DELETE FROM console_login_throttle");
  });

  async function caseStatus(id: string) {
    return (await book.sql("SELECT status, category, assignee FROM cases WHERE id = ?", [id]))[0];
  }

  const actionForms = (number: string): [string, Record<string, string>][] => [
    [`/cases/${number}/edit`, { category: "fees", district: "卫东区", urgency: "normal" }],
    [`/cases/${number}/forward`, { note: "" }],
    [`/cases/${number}/reject`, { reason: "不属于物业管理范围" }],
    [`/cases/${number}/duplicate`, { of: "PDS-20000101-0001" }],
    [`/cases/${number}/assign`, { assignee: "admin" }],
    [`/cases/${number}/note`, { text: "备注" }],
    [`/cases/${number}/close`, { outcome: "已处理" }],
  ];

  describe("without a session", () => {
    it("sends every page to the login page", async () => {
      const anon = new HttpClient(server.url);
      const pages = [
        "/",
        "/cases",
        "/cases?district=卫东区",
        `/cases/${weidongCase.number}`,
        "/ledger",
        "/ledger.csv",
        "/summary/week",
        "/summary/month",
        "/summary/week.csv",
        "/summary/month.csv",
        "/users",
        "/audit",
        "/account",
        "/no-such-page",
      ];
      for (const path of pages) {
        const res = await anon.get(path);
        expect([302, 303], path).toContain(res.status);
        expect(res.headers.get("location"), path).toMatch(/^\/login/);
        expect(await res.text(), path).not.toContain("鹰城花园");
      }
    });

    it("refuses every action with 401 and changes nothing", async () => {
      const anon = new HttpClient(server.url);
      const before = await caseStatus(weidongCase.id);
      const posts: [string, Record<string, string>][] = [
        ...actionForms(weidongCase.number),
        ["/users", { username: "intruder", password: "intruder-password", role: "admin" }],
        ["/users/1/disable", {}],
        ["/users/1/password", { password: "new-password-123" }],
        [
          "/account/password",
          { current: "x", password: "new-password-123", repeat: "new-password-123" },
        ],
        ["/logout", {}],
      ];
      for (const [path, form] of posts) {
        const res = await anon.post(path, { ...form, _csrf: "guess" });
        expect(res.status, path).toBe(401);
      }
      expect(await caseStatus(weidongCase.id)).toEqual(before);
      const auth = new ConsoleAuth(book.store, DEFAULT_CONFIG, clock.now);
      expect(await auth.findUser("intruder")).toBeUndefined();
    });

    it("does not take a forged session cookie", async () => {
      const anon = new HttpClient(server.url);
      const res = await fetch(`${server.url}/cases`, {
        headers: { cookie: "wuye_console=forged-session-id" },
        redirect: "manual",
      });
      expect(res.status).toBe(302);
      expect((await anon.get("/cases")).status).toBe(302);
    });
  });

  describe("login", () => {
    it("sets an HttpOnly, SameSite=Strict session cookie whose value is not what is stored", async () => {
      const client = new HttpClient(server.url);
      const res = await client.login(ADMIN.username, ADMIN.password);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/cases");
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith("wuye_console="));
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      const token = client.cookie("wuye_console") as string;
      expect(token.length).toBeGreaterThanOrEqual(40);
      const stored = (await book.sql("SELECT id_hash FROM console_sessions")) as {
        id_hash: string;
      }[];
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.map((s) => s.id_hash)).not.toContain(token);
    });

    it("stores passwords as salted scrypt hashes", async () => {
      const rows = (await book.sql("SELECT username, password_hash FROM console_users")) as {
        username: string;
        password_hash: string;
      }[];
      for (const r of rows) {
        expect(r.password_hash).toMatch(
          /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/,
        );
        expect(r.password_hash).not.toContain("password");
      }
      const salts = rows.map((r) => r.password_hash.split("$")[4]);
      expect(new Set(salts).size).toBe(rows.length);
    });

    it("never redirects to another site after login", async () => {
      const client = new HttpClient(server.url);
      const token = await client.csrfFrom("/login?next=//evil.example/x");
      const res = await client.post("/login", {
        _csrf: token,
        username: ADMIN.username,
        password: ADMIN.password,
        next: "//evil.example/x",
      });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/cases");
    });

    it("throttles an account after ten wrong passwords, then refuses even the right one", async () => {
      const client = new HttpClient(server.url);
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await client.login(XINHUA.username, `wrong-password-${i}`);
        statuses.push(res.status);
        if (i < 9) expect(await res.text()).toContain("用户名或密码不正确");
        else expect(await res.text()).toContain("已暂时锁定");
      }
      expect(statuses.slice(0, 9).every((s) => s === 401)).toBe(true);
      expect(statuses[9]).toBe(429);

      const right = await client.login(XINHUA.username, XINHUA.password);
      expect(right.status).toBe(429);
      const text = await right.text();
      expect(text).toContain("密码错误次数过多，该账号已暂时锁定");
      expect(text).toMatch(/约 1[45] 分钟后/);
      expect(client.cookie("wuye_console")).toBeUndefined();

      // Other accounts are not affected by someone guessing this one.
      const other = new HttpClient(server.url);
      expect((await other.login(WEIDONG.username, WEIDONG.password)).status).toBe(303);

      // After the lock period the right password works again.
      clock.set(new Date(Date.now() + 16 * 60_000));
      const later = await client.login(XINHUA.username, XINHUA.password);
      expect(later.status).toBe(303);
      expect(client.cookie("wuye_console")).toBeDefined();
    });

    it("throttles one address that guesses across many accounts", async () => {
      const book2 = await openBook(kind, postgres);
      const auth = new ConsoleAuth(book2.store, DEFAULT_CONFIG, () => new Date());
      await auth.createUser({ username: "someone", password: "someone-password-1", role: "admin" });
      const app = createConsoleApp({
        store: book2.store,
        knowledge: NO_KNOWLEDGE,
        config: { ipMaxFailures: 5 },
      });
      const srv = await listen(app);
      try {
        const client = new HttpClient(srv.url);
        for (let i = 0; i < 5; i++) await client.login(`nobody-${i}`, "wrong-password-x");
        const res = await client.login("someone", "someone-password-1");
        expect(res.status).toBe(429);
        expect(await res.text()).toContain("已暂时锁定");
      } finally {
        await srv.close();
        await book2.dispose();
      }
    });

    it("refuses the right password after 25 wrong ones sent at once", async () => {
      const attempts = Array.from({ length: 25 }, (_, i) =>
        new HttpClient(server.url).login(XINHUA.username, `parallel-wrong-${i}`),
      );
      const statuses = await Promise.all(attempts.map(async (a) => (await a).status));
      // Never more than ten were checked; the rest were refused as locked.
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(9);
      expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
      const client = new HttpClient(server.url);
      const right = await client.login(XINHUA.username, XINHUA.password);
      expect(right.status).toBe(429);
      expect(client.cookie("wuye_console")).toBeUndefined();
      // Resetting the password lifts every lock on the account.
      const auth = new ConsoleAuth(book.store, DEFAULT_CONFIG, clock.now);
      await auth.setPassword((await auth.findUser(XINHUA.username))?.id ?? 0, XINHUA.password);
      expect((await client.login(XINHUA.username, XINHUA.password)).status).toBe(303);
    });

    it("counts wrong passwords sent at once through two console processes on one database", async () => {
      const other = createConsoleApp({ store: await book.reopen(), knowledge: NO_KNOWLEDGE });
      const second = await listen(other);
      try {
        const attempts = Array.from({ length: 30 }, (_, i) =>
          new HttpClient(i % 2 === 0 ? server.url : second.url).login(
            WEIDONG.username,
            `two-process-wrong-${i}`,
          ),
        );
        const statuses = await Promise.all(attempts.map(async (a) => (await a).status));
        // However the two processes interleave, at most ten guesses reach the password check.
        expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(9);
        expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(21);
        const right = await new HttpClient(second.url).login(WEIDONG.username, WEIDONG.password);
        expect(right.status).toBe(429);
      } finally {
        await second.close();
        const auth = new ConsoleAuth(book.store, DEFAULT_CONFIG, clock.now);
        await auth.setPassword((await auth.findUser(WEIDONG.username))?.id ?? 0, WEIDONG.password);
      }
    });

    it("keeps a guessing address away from other accounts but lets in staff who log in from it", async () => {
      const book2 = await openBook(kind, postgres);
      const auth = new ConsoleAuth(book2.store, DEFAULT_CONFIG, () => new Date());
      await auth.createUser({ username: "regular", password: "regular-password-1", role: "admin" });
      await auth.createUser({
        username: "newcomer",
        password: "newcomer-password-1",
        role: "admin",
      });
      const srv = await listen(
        createConsoleApp({
          store: book2.store,
          knowledge: NO_KNOWLEDGE,
          config: { ipMaxFailures: 5, trustedProxies: ["127.0.0.1"] },
        }),
      );
      try {
        // Everyone comes through one reverse proxy (127.0.0.1); X-Forwarded-For names the office.
        const office = { "x-forwarded-for": "203.0.113.7" };
        expect(
          (await new HttpClient(srv.url, office).login("regular", "regular-password-1")).status,
        ).toBe(303);
        for (let i = 0; i < 5; i++) {
          await new HttpClient(srv.url, office).login(`nobody-${i}`, "wrong-password-x");
        }
        // The address is locked for accounts that never logged in from it …
        const newcomer = await new HttpClient(srv.url, office).login(
          "newcomer",
          "newcomer-password-1",
        );
        expect(newcomer.status).toBe(429);
        // … but staff who work from it still get in with their right password.
        expect(
          (await new HttpClient(srv.url, office).login("regular", "regular-password-1")).status,
        ).toBe(303);
        // Another address behind the same proxy is not affected.
        const home = { "x-forwarded-for": "198.51.100.9" };
        expect(
          (await new HttpClient(srv.url, home).login("newcomer", "newcomer-password-1")).status,
        ).toBe(303);
      } finally {
        await srv.close();
        await book2.dispose();
      }
    });

    it("believes X-Forwarded-For only from a trusted proxy", async () => {
      const book2 = await openBook(kind, postgres);
      const auth = new ConsoleAuth(book2.store, DEFAULT_CONFIG, () => new Date());
      await auth.createUser({ username: "someone", password: "someone-password-1", role: "admin" });
      const srv = await listen(
        createConsoleApp({
          store: book2.store,
          knowledge: NO_KNOWLEDGE,
          config: { ipMaxFailures: 5 },
        }),
      );
      try {
        // No trusted proxy: a guesser cannot dodge the address limit by inventing addresses.
        for (let i = 0; i < 5; i++) {
          await new HttpClient(srv.url, { "x-forwarded-for": `10.0.0.${i}` }).login(
            `nobody-${i}`,
            "wrong-password-x",
          );
        }
        const res = await new HttpClient(srv.url, { "x-forwarded-for": "10.9.9.9" }).login(
          "someone",
          "someone-password-1",
        );
        expect(res.status).toBe(429);
      } finally {
        await srv.close();
        await book2.dispose();
      }
    });

    it("refuses a login form posted without its token", async () => {
      const client = new HttpClient(server.url);
      await client.get("/login");
      const res = await client.post("/login", {
        username: ADMIN.username,
        password: ADMIN.password,
      });
      expect(res.status).toBe(403);
      expect(client.cookie("wuye_console")).toBeUndefined();
    });
  });

  describe("CSRF", () => {
    it("refuses every action posted without the session's token (403) and changes nothing", async () => {
      const admin = new HttpClient(server.url);
      await admin.login(ADMIN.username, ADMIN.password);
      const before = await caseStatus(weidongCase.id);
      const notifications = (await book.store.pendingNotifications()).length;
      for (const [path, form] of actionForms(weidongCase.number)) {
        expect((await admin.post(path, form)).status, path).toBe(403);
        expect((await admin.post(path, { ...form, _csrf: "not-the-token" })).status, path).toBe(
          403,
        );
      }
      for (const [path, form] of [
        ["/users", { username: "sneaky", password: "sneaky-password-1", role: "admin" }],
        [
          "/account/password",
          { current: ADMIN.password, password: "changed-pass-1", repeat: "changed-pass-1" },
        ],
        ["/logout", {}],
      ] as const) {
        expect((await admin.post(path, form)).status, path).toBe(403);
      }
      expect(await caseStatus(weidongCase.id)).toEqual(before);
      expect((await book.store.pendingNotifications()).length).toBe(notifications);
      // Still logged in: the forged logout did nothing.
      expect((await admin.get("/cases")).status).toBe(200);
    });

    it("does not accept one session's token in another session", async () => {
      const a = new HttpClient(server.url);
      const b = new HttpClient(server.url);
      await a.login(ADMIN.username, ADMIN.password);
      await b.login(ADMIN.username, ADMIN.password);
      const tokenA = await a.csrfFrom(`/cases/${weidongCase.number}`);
      const res = await b.post(`/cases/${weidongCase.number}/note`, {
        _csrf: tokenA,
        text: "跨会话",
      });
      expect(res.status).toBe(403);
    });

    it("accepts the action with the token", async () => {
      const admin = new HttpClient(server.url);
      await admin.login(ADMIN.username, ADMIN.password);
      const token = await admin.csrfFrom(`/cases/${xinhuaCase.number}`);
      const res = await admin.post(`/cases/${xinhuaCase.number}/note`, {
        _csrf: token,
        text: "已电话联系物业",
      });
      expect(res.status).toBe(303);
      const page = await (await admin.get(`/cases/${xinhuaCase.number}`)).text();
      expect(page).toContain("已电话联系物业");
      expect(page).toContain("添加内部备注");
    });
  });

  describe("district scope", () => {
    it("a reviewer cannot open another district's case (403) and does not see it listed", async () => {
      const reviewer = new HttpClient(server.url);
      await reviewer.login(XINHUA.username, XINHUA.password);
      const res = await reviewer.get(`/cases/${weidongCase.number}`);
      expect(res.status).toBe(403);
      const body = await res.text();
      expect(body).not.toContain(PHONE);
      expect(body).not.toContain("鹰城花园");

      const list = await (await reviewer.get("/cases")).text();
      expect(list).toContain(xinhuaCase.number);
      expect(list).not.toContain(weidongCase.number);
      const filtered = await (await reviewer.get("/cases?district=卫东区")).text();
      expect(filtered).not.toContain(weidongCase.number);
      const csv = await (await reviewer.get("/ledger.csv")).text();
      expect(csv).toContain(xinhuaCase.number);
      expect(csv).not.toContain(weidongCase.number);
      const week = await (await reviewer.get("/summary/week")).text();
      expect(week).not.toContain("卫东区");
    });

    it("a reviewer cannot change another district's case (403), with a valid token", async () => {
      const reviewer = new HttpClient(server.url);
      await reviewer.login(XINHUA.username, XINHUA.password);
      const token = await reviewer.csrfFrom("/cases");
      const before = await caseStatus(weidongCase.id);
      const notifications = (await book.store.pendingNotifications()).length;
      for (const [path, form] of actionForms(weidongCase.number)) {
        expect((await reviewer.post(path, { ...form, _csrf: token })).status, path).toBe(403);
      }
      expect(await caseStatus(weidongCase.id)).toEqual(before);
      expect((await book.store.pendingNotifications()).length).toBe(notifications);
      expect(await book.store.outboxFor(weidongCase.id)).toEqual([]);
    });

    it("a reviewer cannot mark a case a duplicate of a case outside their districts", async () => {
      const reviewer = new HttpClient(server.url);
      await reviewer.login(XINHUA.username, XINHUA.password);
      const token = await reviewer.csrfFrom(`/cases/${xinhuaCase.number}`);
      const res = await reviewer.post(`/cases/${xinhuaCase.number}/duplicate`, {
        _csrf: token,
        of: weidongCase.number,
      });
      expect(res.status).toBe(303);
      const page = await (await reviewer.get(`/cases/${xinhuaCase.number}`)).text();
      expect(page).toContain(`找不到编号为 ${weidongCase.number} 的投诉`);
      expect(await caseStatus(xinhuaCase.id)).toMatchObject({ status: "new" });
    });

    it("the district's reviewer and administrators see the contact; the list never shows it", async () => {
      const reviewer = new HttpClient(server.url);
      await reviewer.login(WEIDONG.username, WEIDONG.password);
      const page = await (await reviewer.get(`/cases/${weidongCase.number}`)).text();
      expect(page).toContain(PHONE);
      expect(page).toContain("王女士");
      // What residents wrote is shown as text, never as markup.
      expect(page).not.toContain("<script>alert(1)</script>");
      expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");

      const admin = new HttpClient(server.url);
      await admin.login(ADMIN.username, ADMIN.password);
      expect(await (await admin.get(`/cases/${weidongCase.number}`)).text()).toContain(PHONE);
      expect(await (await admin.get("/cases")).text()).not.toContain(PHONE);
      expect(await (await admin.get("/ledger.csv")).text()).not.toContain(PHONE);
    });

    it("a reviewer hands a misfiled case to its district and then loses access to it", async () => {
      const misfiled = await seedBook(book, {
        at: new Date().toISOString(),
        complaint: { district: "新华区", community: "鹰城花园" },
      });
      clock.set(null);
      const reviewer = new HttpClient(server.url);
      await reviewer.login(XINHUA.username, XINHUA.password);
      const token = await reviewer.csrfFrom(`/cases/${misfiled.number}`);
      const res = await reviewer.post(`/cases/${misfiled.number}/edit`, {
        _csrf: token,
        category: "service_quality",
        district: "卫东区",
        community: "鹰城花园",
        urgency: "normal",
      });
      expect(res.headers.get("location")).toBe("/cases");
      expect(await (await reviewer.get("/cases")).text()).toContain("已改到卫东区");
      expect((await reviewer.get(`/cases/${misfiled.number}`)).status).toBe(403);
      const other = new HttpClient(server.url);
      await other.login(WEIDONG.username, WEIDONG.password);
      const page = await (await other.get(`/cases/${misfiled.number}`)).text();
      expect(page).toContain("修改信息：区县“新华区”→“卫东区”");
    });

    it("only administrators manage accounts", async () => {
      const reviewer = new HttpClient(server.url);
      await reviewer.login(XINHUA.username, XINHUA.password);
      expect((await reviewer.get("/users")).status).toBe(403);
      expect((await reviewer.get("/audit")).status).toBe(403);
      const token = await reviewer.csrfFrom("/cases");
      const res = await reviewer.post("/users", {
        _csrf: token,
        username: "escalate",
        password: "escalate-password",
        role: "admin",
      });
      expect(res.status).toBe(403);
      const auth = new ConsoleAuth(book.store, DEFAULT_CONFIG, clock.now);
      expect(await auth.findUser("escalate")).toBeUndefined();
    });
  });

  describe("accounts", () => {
    it("an administrator adds a reviewer, who logs in; disabling the account ends the session", async () => {
      const admin = new HttpClient(server.url);
      await admin.login(ADMIN.username, ADMIN.password);
      const token = await admin.csrfFrom("/users");
      const created = await admin.post("/users", {
        _csrf: token,
        username: "ruzhou",
        display_name: "汝州市审核员",
        role: "reviewer",
        password: "ruzhou-password-1",
        districts: ["汝州市", "郏县"],
      });
      expect(created.status).toBe(303);
      const auth = new ConsoleAuth(book.store, DEFAULT_CONFIG, clock.now);
      const user = await auth.findUser("ruzhou");
      expect(user?.districts).toEqual(["汝州市", "郏县"]);

      const reviewer = new HttpClient(server.url);
      expect((await reviewer.login("ruzhou", "ruzhou-password-1")).status).toBe(303);
      expect((await reviewer.get("/cases")).status).toBe(200);

      const disabled = await admin.post(`/users/${user?.id}/disable`, { _csrf: token });
      expect(disabled.status).toBe(303);
      expect((await reviewer.get("/cases")).status).toBe(302);
      // A disabled account answers the right password exactly like a wrong one.
      const again = await reviewer.login("ruzhou", "ruzhou-password-1");
      const wrong = await new HttpClient(server.url).login("ruzhou", "not-the-password");
      expect(again.status).toBe(401);
      expect(wrong.status).toBe(401);
      const [a, w] = [await again.text(), await wrong.text()];
      expect(a).toContain("用户名或密码不正确");
      expect(a).not.toContain("停用");
      expect(a.replace(/name="_csrf" value="[^"]+"/, "")).toBe(
        w.replace(/name="_csrf" value="[^"]+"/, ""),
      );
      const audit = await (await admin.get("/audit")).text();
      expect(audit).toContain("新建账号：ruzhou");
      expect(audit).toContain("停用账号：ruzhou");
    });

    it("a user changes their own password and must log in again", async () => {
      const admin = new HttpClient(server.url);
      await admin.login(ADMIN.username, ADMIN.password);
      const token = await admin.csrfFrom("/users");
      await admin.post("/users", {
        _csrf: token,
        username: "changer",
        role: "admin",
        password: "changer-password-1",
      });
      const me = new HttpClient(server.url);
      await me.login("changer", "changer-password-1");
      const mine = await me.csrfFrom("/account");
      const wrong = await me.post("/account/password", {
        _csrf: mine,
        current: "not-my-password",
        password: "changer-password-2",
        repeat: "changer-password-2",
      });
      expect(wrong.headers.get("location")).toBe("/account");
      // Guessing the current password with a stolen session is limited like a login.
      for (let i = 0; i < 10; i++) {
        await me.post("/account/password", {
          _csrf: mine,
          current: `guess-${i}`,
          password: "changer-password-9",
          repeat: "changer-password-9",
        });
      }
      const guessed = await me.post("/account/password", {
        _csrf: mine,
        current: "changer-password-1",
        password: "changer-password-9",
        repeat: "changer-password-9",
      });
      expect(guessed.headers.get("location")).toBe("/account");
      expect(await (await me.get("/account")).text()).toContain("已暂时锁定");
      await book.sql("DELETE FROM console_login_throttle WHERE key LIKE 'change:%'");
      const ok = await me.post("/account/password", {
        _csrf: mine,
        current: "changer-password-1",
        password: "changer-password-2",
        repeat: "changer-password-2",
      });
      expect(ok.headers.get("location")).toBe("/login?changed=1");
      expect((await me.get("/cases")).status).toBe(302);
      expect((await me.login("changer", "changer-password-1")).status).toBe(401);
      expect((await me.login("changer", "changer-password-2")).status).toBe(303);
    });
  });

  describe("pages", () => {
    it("carry a strict content security policy and are not cached", async () => {
      const admin = new HttpClient(server.url);
      await admin.login(ADMIN.username, ADMIN.password);
      const res = await admin.get(`/cases/${weidongCase.number}`);
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    });

    it("log out ends the session on the server", async () => {
      const admin = new HttpClient(server.url);
      await admin.login(ADMIN.username, ADMIN.password);
      const token = await admin.csrfFrom("/cases");
      const saved = admin.cookie("wuye_console") as string;
      expect((await admin.post("/logout", { _csrf: token })).status).toBe(303);
      const replay = await fetch(`${server.url}/cases`, {
        headers: { cookie: `wuye_console=${saved}` },
        redirect: "manual",
      });
      expect(replay.status).toBe(302);
    });
  });
});
