import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { PgCaseStore } from "../../adapters/cases/pg-store.ts";
import { emptyComplaint } from "../../bot/complaint.ts";
import { ConsoleAuth } from "../../console/auth.ts";
import { DEFAULT_CONFIG } from "../../console/config.ts";
import { HttpClient, sharedPostgres } from "./support.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const TSX = join(ROOT, "node_modules/.bin/tsx");

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "wuye-console-cli-"));
  env = { ...process.env, CASEBOOK_PATH: join(dir, "casebook.sqlite") };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The address a started console prints. */
function consoleUrl(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve(m[0].slice(0, -1));
    });
    child.on("close", () => reject(new Error(`exited: ${out}`)));
  });
}

/** Runs `npm run console -- …` the way the README says (through tsx, without npm's banner). */
function runCli(
  args: string[],
  stdin = "",
  childEnv: NodeJS.ProcessEnv = env,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ["bin/console.ts", ...args], { cwd: ROOT, env: childEnv });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, out, err }));
    child.stdin.end(stdin);
  });
}

async function users() {
  const casebook = new Casebook(env.CASEBOOK_PATH as string);
  try {
    return await new ConsoleAuth(casebook, DEFAULT_CONFIG, () => new Date()).listUsers();
  } finally {
    casebook.close();
  }
}

describe("npm run console -- …", () => {
  it("creates the first administrator and a reviewer from standard input", async () => {
    const admin = await runCli(
      ["create-admin", "--username", "admin", "--password-stdin"],
      "first-admin-pass\n",
    );
    expect(admin.err).toBe("");
    expect(admin.out).toContain("已新建管理员账号：admin");
    const reviewer = await runCli(
      ["add-reviewer", "--username", "xinhua", "--districts", "新华区,卫东区", "--password-stdin"],
      "reviewer-pass-1\n",
    );
    expect(reviewer.out).toContain("已新建审核员账号：xinhua（负责：新华区、卫东区）");
    expect((await users()).map((u) => [u.username, u.role, u.districts])).toEqual([
      ["admin", "admin", []],
      ["xinhua", "reviewer", ["新华区", "卫东区"]],
    ]);
    const list = await runCli(["list-users"]);
    expect(list.out).toContain("xinhua\t审核员\t新华区、卫东区\t正常");
  }, 60_000);

  it("refuses bad input with a clear message and a failing exit code", async () => {
    const unknown = await runCli(
      ["add-reviewer", "--username", "x", "--districts", "火星区", "--password-stdin"],
      "reviewer-pass-1\n",
    );
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("未知的区县：火星区");
    const short = await runCli(
      ["create-admin", "--username", "boss", "--password-stdin"],
      "short\n",
    );
    expect(short.code).toBe(1);
    expect(short.err).toContain("密码至少 10 位");
    const again = await runCli(
      ["create-admin", "--username", "admin", "--password-stdin"],
      "another-admin-pass\n",
    );
    expect(again.err).toContain("用户名 admin 已存在");
  }, 60_000);

  it("starts the console on 127.0.0.1 and lets the administrator log in", async () => {
    let child: ChildProcess | undefined;
    try {
      child = spawn(TSX, ["bin/console.ts"], { cwd: ROOT, env: { ...env, CONSOLE_PORT: "0" } });
      const url = await consoleUrl(child);
      const client = new HttpClient(url);
      const login = await client.login("admin", "first-admin-pass");
      expect(login.status).toBe(303);
      const page = await (await client.get("/cases")).text();
      expect(page).toContain("投诉列表");
    } finally {
      child?.kill("SIGTERM");
    }
  }, 90_000);

  it("keeps accounts and cases in PostgreSQL when DATABASE_URL is set, never opening SQLite", async () => {
    const postgres = sharedPostgres();
    let child: ChildProcess | undefined;
    let store: PgCaseStore | undefined;
    try {
      const pgEnv = {
        ...env,
        DATABASE_URL: await postgres.database(),
        CASEBOOK_PATH: join(dir, "unused.sqlite"),
      };
      const created = await runCli(
        ["create-admin", "--username", "pgadmin", "--password-stdin"],
        "pg-admin-pass-1\n",
        pgEnv,
      );
      expect(created.err).toBe("");
      store = await PgCaseStore.open(pgEnv.DATABASE_URL, []);
      const filed = await store.file({
        complaint: {
          ...emptyComplaint(),
          category: "fees",
          district: "新华区",
          community: "湖滨花园",
          description: "物业多收公摊电费",
        },
        origin: { platform: "test", privateConversationId: "dm-pg", senderId: "pg" },
        transcript: [],
      });
      child = spawn(TSX, ["bin/console.ts"], { cwd: ROOT, env: { ...pgEnv, CONSOLE_PORT: "0" } });
      const client = new HttpClient(await consoleUrl(child));
      expect((await client.login("pgadmin", "pg-admin-pass-1")).status).toBe(303);
      expect(await (await client.get("/cases")).text()).toContain(filed.number);
      const users = await new ConsoleAuth(store, DEFAULT_CONFIG, () => new Date()).listUsers();
      expect(users.map((u) => u.username)).toEqual(["pgadmin"]);
      expect(existsSync(pgEnv.CASEBOOK_PATH)).toBe(false);
    } finally {
      child?.kill("SIGTERM");
      await store?.close();
      await postgres.stop();
    }
  }, 120_000);
});
