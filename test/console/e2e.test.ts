import { mkdirSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeliveryWorker } from "../../adapters/cases/delivery-worker.ts";
import { Open311Backend } from "../../adapters/cases/open311.ts";
import { createChannelRuntime } from "../../adapters/chat/channel-runtime.ts";
import { CATEGORY_PLAN_KEY, type Category } from "../../bot/complaint.ts";
import { createEngine } from "../../bot/engine.ts";
import { silentLogger } from "../../bot/logger.ts";
import { createConsoleApp } from "../../console/app.ts";
import { ConsoleAuth } from "../../console/auth.ts";
import { DEFAULT_CONFIG } from "../../console/config.ts";
import { CATEGORY_SHORT } from "../../console/labels.ts";
import { shippedKnowledgeBase } from "../helpers/knowledge.ts";
import { type Open311Server, startOpen311Server } from "../helpers/open311-server.ts";
import { recordingPort } from "../helpers/recording-port.ts";
import { listen, seedCase, tempCasebook, testClock } from "./support.ts";

const SCREENSHOTS = new URL("../../test-output/console/", import.meta.url).pathname;
const ADMIN = { username: "shizhan", password: "city-admin-pass-1" };
const RESIDENT = "5001";
const DAY = 86_400_000;

let book: ReturnType<typeof tempCasebook>;
let open311: Open311Server;
let consoleServer: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let page: Page;
let port: ReturnType<typeof recordingPort>;
let runtime: ReturnType<typeof createChannelRuntime>;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const clock = testClock();
  book = tempCasebook(clock);
  const knowledge = await shippedKnowledgeBase();

  // Other cases around it, so the list, the filter and the chart have something to show.
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  seedCase(book, {
    at: iso(now - 10 * DAY),
    complaint: {
      district: "新华区",
      community: "光明小区",
      company: "鹰城物业",
      description: "物业收了停车费却不开发票",
      category: "fees",
    },
  });
  seedCase(book, {
    at: iso(now - 3 * DAY),
    complaint: {
      district: "卫东区",
      community: "鹰城花园",
      category: "safety",
      urgency: "high",
      description: "消防通道被车辆长期占用",
    },
    changes: [{ status: "closed", at: iso(now - 2 * DAY), note: "已清理消防通道" }],
  });
  seedCase(book, {
    at: iso(now - 2 * DAY),
    complaint: {
      district: "湛河区",
      community: "湖滨小区",
      category: "coverage",
      description: "小区没有物业，垃圾没人清运",
    },
  });
  seedCase(book, {
    at: iso(now - 60_000),
    complaint: {
      district: "新华区",
      community: "建设路小区",
      category: "safety",
      urgency: "emergency",
      description: "地下室有很重的燃气味",
    },
  });
  clock.set(null);

  // The console and the bot share the casebook, as on a real server.
  const engine = createEngine({
    knowledge,
    desk: book.casebook,
    conversations: book.casebook.conversations(),
  });
  port = recordingPort({ platform: "telegram", maxMessageChars: 4096 });
  runtime = createChannelRuntime({
    engine,
    store: book.casebook.store,
    port,
    logger: silentLogger,
  });

  open311 = await startOpen311Server();
  await new ConsoleAuth(book.casebook, DEFAULT_CONFIG, () => new Date()).createUser({
    ...ADMIN,
    displayName: "市物业办",
    role: "admin",
  });
  consoleServer = await listen(
    createConsoleApp({ store: book.casebook, knowledge, forwardBackend: "open311" }),
  );
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await consoleServer?.close();
  await open311?.close();
  book?.dispose();
});

describe("a complaint from a chat to the staff console and back", () => {
  it("is filed by the bot, corrected, forwarded, closed, reported to the resident and summarised", async () => {
    // 1. A resident files a complaint in a private Telegram chat.
    let messageId = 0;
    const say = (text: string) =>
      runtime.handle({
        platform: "telegram",
        conversationId: RESIDENT,
        chatType: "private",
        senderId: RESIDENT,
        messageId: String(++messageId),
        text,
      });
    await say("我要投诉：小区楼道里堆满了杂物，物业一直不清理，晚上灯也不亮");
    await say("新华区 建设路小区");
    await say("匿名");
    await say("确认");
    const filedReply = port.sent.at(-1)?.text ?? "";
    const number = /PDS-\d{8}-\d{4}/.exec(filedReply)?.[0];
    expect(number, filedReply).toBeDefined();
    const filed = book.casebook.byNumber(number as string);
    expect(filed?.origin.platform).toBe("telegram");
    expect(filed?.complaint.district).toBe("新华区");
    const botCategory = filed?.complaint.category ?? null;
    const corrected: Category = botCategory === "safety" ? "service_quality" : "safety";

    // 2. Staff log in.
    const base = consoleServer.url;
    await page.goto(`${base}/cases`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.getByLabel("用户名").fill(ADMIN.username);
    await page.getByLabel("密码").fill(ADMIN.password);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(`${base}/cases`);
    await expect(page.locator("h1").textContent()).resolves.toBe("投诉列表");
    // Open emergencies come first.
    await expect(page.locator("tbody tr").first().getAttribute("class")).resolves.toContain(
      "emergency",
    );

    // 3. Filter to the case's district.
    await page.locator('select[name="district"]').selectOption("新华区");
    await page.getByRole("button", { name: "筛选" }).click();
    await page.waitForURL(/district=/);
    const districts = await page.locator('tbody td[data-label="区县"]').allTextContents();
    expect(districts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(districts)).toEqual(new Set(["新华区"]));
    await expect(page.locator(`tr[data-number="${number}"]`).count()).resolves.toBe(1);
    // The case filed ten days ago is overdue and highlighted.
    await expect(page.locator("tr.overdue").count()).resolves.toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: `${SCREENSHOTS}list.png`, fullPage: true });

    // 4. Open the complaint: its fields, conversation and legal basis with the article text.
    await page.getByRole("link", { name: number as string }).click();
    await page.waitForURL(`${base}/cases/${number}`);
    await expect(page.locator("h1").textContent()).resolves.toContain(number);
    const transcript = await page.locator("ol.transcript").textContent();
    expect(transcript).toContain("楼道里堆满了杂物");
    expect(transcript).toContain("请核对您的投诉");
    await expect(page.locator('[data-field="contact"]').textContent()).resolves.toContain("匿名");
    const basis = page.locator(".basis");
    expect(await basis.count()).toBeGreaterThan(0);
    await expect(basis.first().locator("strong").textContent()).resolves.toMatch(/^《.+》/);
    expect(((await basis.first().locator(".law").textContent()) ?? "").length).toBeGreaterThan(10);

    // 5. Correct the category.
    await page.locator("#edit summary").click();
    await page.locator('#edit select[name="category"]').selectOption(corrected);
    await page.getByRole("button", { name: "保存修改" }).click();
    await page.waitForURL(`${base}/cases/${number}`);
    await expect(page.locator(".flash.ok").textContent()).resolves.toContain("已保存修改");
    await expect(page.locator('[data-field="category"]').textContent()).resolves.toBe(
      CATEGORY_SHORT[corrected],
    );
    await expect(page.locator("ul.timeline").last().textContent()).resolves.toContain(
      `类别“${botCategory ? CATEGORY_SHORT[botCategory] : "（空）"}”→“${CATEGORY_SHORT[corrected]}”`,
    );
    const afterEdit = book.casebook.byNumber(number as string);
    expect(afterEdit?.complaint.category).toBe(corrected);
    expect(afterEdit?.complaint.legal_basis).toContain(CATEGORY_PLAN_KEY[corrected]);

    // 6. Approve and forward through Open311, and see it arrive there.
    await page.locator("#forward summary").click();
    await page.getByRole("button", { name: "审核通过并转交" }).click();
    await page.waitForURL(`${base}/cases/${number}`);
    await expect(page.locator('[data-field="status"]').textContent()).resolves.toBe("已转交");
    const worker = createDeliveryWorker({
      store: book.casebook.store,
      backends: [new Open311Backend({ endpoint: open311.endpoint, apiKey: open311.apiKey })],
    });
    const run = await worker.runOnce();
    expect(run.delivered).toBe(1);
    const received = open311.findCase(filed?.id as string);
    expect(received?.fields.service_code).toBe(corrected);
    expect(received?.attributes.case_number).toBe(number);
    expect(received?.fields.description).toContain("楼道里堆满了杂物");
    await page.reload();
    await expect(page.locator("ul.outbox").textContent()).resolves.toContain("open311：已送达");

    // 7. Close it with an outcome; the resident's chat is told.
    await page.locator("#close summary").click();
    await page
      .locator('#close textarea[name="outcome"]')
      .fill("物业已清理楼道杂物并修好楼道灯，经回访居民认可。");
    await page.getByRole("button", { name: "办结" }).click();
    await page.waitForURL(`${base}/cases/${number}`);
    await expect(page.locator('[data-field="status"]').textContent()).resolves.toBe("已办结");
    await expect(page.locator('[data-field="outcome"]').textContent()).resolves.toContain("楼道灯");
    await page.screenshot({ path: `${SCREENSHOTS}case.png`, fullPage: true });

    const before = port.sent.length;
    const delivered = await runtime.deliverNotifications();
    expect(delivered).toBe(2); // forwarded, then closed
    const updates = port.sent.slice(before);
    expect(updates.every((m) => m.chatType === "private" && m.conversationId === RESIDENT)).toBe(
      true,
    );
    expect(updates.map((m) => m.text)).toEqual([
      expect.stringContaining(`${number}）有新进展：已转交主管部门`),
      expect.stringMatching(new RegExp(`${number}）有新进展：已办结。说明：物业已清理楼道杂物`)),
    ]);

    // 8. The ledger lists it with its outcome, and exports it.
    await page.goto(`${base}/ledger?district=新华区`);
    await expect(page.locator("table.ledger").textContent()).resolves.toContain("经回访居民认可");
    await page.screenshot({ path: `${SCREENSHOTS}ledger.png`, fullPage: true });
    const csv = await page.request.get(`${base}/ledger.csv?district=新华区`);
    const bytes = await csv.body();
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString("utf8")).toContain(number);

    // 9. The weekly summary, with its chart.
    await page.goto(`${base}/summary/week`);
    await expect(page.locator("h1").textContent()).resolves.toMatch(/^周汇总（/);
    const chart = page.locator("svg.trend-chart");
    await expect(chart.count()).resolves.toBe(1);
    await expect(chart.locator("path.trend-line").count()).resolves.toBe(2);
    expect(await chart.locator("path.trend-filed").getAttribute("d")).toMatch(/^M[\d.]+,[\d.]+L/);
    expect((await chart.boundingBox())?.width).toBeGreaterThan(300);
    const filedToday = Number(await page.locator('[data-figure="filed"]').textContent());
    expect(filedToday).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: `${SCREENSHOTS}summary.png`, fullPage: true });
    // Printed, the navigation and the controls drop away.
    await page.emulateMedia({ media: "print" });
    await expect(page.locator("header.top").isVisible()).resolves.toBe(false);
    await page.screenshot({ path: `${SCREENSHOTS}summary-print.png`, fullPage: true });
    await page.emulateMedia({ media: "screen" });

    // On a phone the list turns into cards.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/cases`);
    await expect(page.locator("thead").first().isVisible()).resolves.toBe(false);
    await page.screenshot({ path: `${SCREENSHOTS}list-phone.png`, fullPage: true });
  }, 120_000);
});
