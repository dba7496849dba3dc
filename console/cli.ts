import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { Command } from "commander";
import type { CaseStore } from "../adapters/cases/case-store.ts";
import { Casebook } from "../adapters/cases/casebook.ts";
import { openKnowledgeBase } from "../knowledge/knowledge-base.ts";
import { createConsoleApp } from "./app.ts";
import { ConsoleAuth, parseDistricts, ROLE_LABELS, type Role } from "./auth.ts";
import { type ConsoleConfig, DEFAULT_CONFIG, parseOverdueDays } from "./config.ts";

/** The same file the bot writes (bin/open-bot.ts): CASEBOOK_PATH, or casebook.sqlite in the data folder. */
export function casebookPath(env: NodeJS.ProcessEnv = process.env): string {
  const dataDir = env.WUYE_DATA_DIR ?? fileURLToPath(new URL("../.data/", import.meta.url));
  return env.CASEBOOK_PATH ?? join(dataDir, "casebook.sqlite");
}

/**
 * The console's database, chosen like the bots' (bin/open-bot.ts): PostgreSQL when DATABASE_URL
 * is set, else the SQLite casebook. On SQLite a statement waits at most 200 ms for another
 * process's write lock (the wait blocks this process), then the page answers 503.
 */
async function openStore(env: NodeJS.ProcessEnv = process.env): Promise<CaseStore> {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    const { PgCaseStore } = await import("../adapters/cases/pg-store.ts");
    return PgCaseStore.open(url, []);
  }
  return new Casebook(casebookPath(env), [], undefined, {
    busyTimeoutMs: 200,
    privateFolder: env.CASEBOOK_PATH === undefined,
  }).store;
}

/** Where the console's data lives, for the start-up message (never the password in a URL). */
function storeLabel(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL?.trim();
  if (!url) return casebookPath(env);
  try {
    const u = new URL(url);
    return `PostgreSQL ${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "PostgreSQL（DATABASE_URL）";
  }
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  return {
    ...DEFAULT_CONFIG,
    ...(env.CONSOLE_OVERDUE_DAYS
      ? { overdueDays: parseOverdueDays(env.CONSOLE_OVERDUE_DAYS) }
      : {}),
    secureCookies: env.CONSOLE_SECURE_COOKIES === "1",
    trustedProxies: (env.CONSOLE_TRUSTED_PROXIES ?? "")
      .split(/[,，\s]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const { stdin, stdout } = process;
  stdout.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const cleanup = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      stdout.write("\n");
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          cleanup();
          resolve(value);
          return;
        }
        if (ch === "\u0003" || ch === "\u0004") {
          cleanup();
          reject(new Error("已取消"));
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

async function readPassword(fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin) {
    const first = (await readStdin()).split(/\r?\n/)[0] ?? "";
    if (!first) throw new Error("标准输入中没有密码");
    return first;
  }
  if (!process.stdin.isTTY) {
    throw new Error("不在终端中运行时，请用 --password-stdin 从标准输入提供密码");
  }
  const password = await promptHidden("密码：");
  const again = await promptHidden("再输一次：");
  if (password !== again) throw new Error("两次输入的密码不一致");
  return password;
}

async function withAuth<T>(run: (auth: ConsoleAuth) => Promise<T>): Promise<T> {
  const store = await openStore();
  const auth = new ConsoleAuth(store, configFromEnv(), () => new Date());
  return run(auth).finally(() => store.close());
}

async function createUser(
  role: Role,
  opts: { username: string; districts?: string; displayName?: string; passwordStdin?: boolean },
): Promise<void> {
  const districts = role === "reviewer" ? parseDistricts(opts.districts ?? "") : [];
  const password = await readPassword(opts.passwordStdin);
  await withAuth(async (auth) => {
    const user = await auth.createUser({
      username: opts.username,
      password,
      role,
      districts,
      displayName: opts.displayName ?? null,
    });
    console.log(
      `已新建${ROLE_LABELS[role]}账号：${user.username}${role === "reviewer" ? `（负责：${user.districts.join("、")}）` : ""}`,
    );
  });
}

async function serveConsole(opts: { port?: string }): Promise<void> {
  const portText = opts.port ?? process.env.CONSOLE_PORT ?? "8080";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`端口无效：${portText}`);
  }
  const config = configFromEnv();
  const store = await openStore();
  const knowledge = await openKnowledgeBase({ indexDir: null });
  const forwardBackend = process.env.CONSOLE_FORWARD_BACKEND?.trim() || undefined;
  const app = createConsoleApp({ store, knowledge, forwardBackend, config });
  const auth = new ConsoleAuth(store, config, () => new Date());
  const hasAdmin = await auth.hasAdmin();
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port }, (info) => {
    console.log(`物业助手工作人员后台已启动：http://127.0.0.1:${info.port}/`);
    console.log(`投诉数据：${storeLabel()}`);
    console.log(
      forwardBackend
        ? `审核通过的投诉将排队转交：${forwardBackend}`
        : "未设置 CONSOLE_FORWARD_BACKEND：审核通过只标记为已转交，需线下转交。",
    );
    if (!hasAdmin) {
      console.log("还没有管理员账号，请先运行：npm run console -- create-admin --username 用户名");
    }
  });
  const stop = () => {
    server.close(() => {
      void store.close().finally(() => process.exit(0));
    });
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

export function consoleProgram(): Command {
  const program = new Command("console").description("物业助手工作人员后台").showHelpAfterError();
  program
    .command("serve", { isDefault: true })
    .description("启动后台（http://127.0.0.1:8080/，端口可用 CONSOLE_PORT 或 --port 指定）")
    .option("--port <port>", "端口")
    .action(serveConsole);
  program
    .command("create-admin")
    .description("新建管理员账号")
    .requiredOption("--username <name>", "用户名")
    .option("--display-name <name>", "姓名")
    .option("--password-stdin", "从标准输入读取密码（第一行）")
    .action((opts) => createUser("admin", opts));
  program
    .command("add-reviewer")
    .description("新建审核员账号，负责一个或多个区县")
    .requiredOption("--username <name>", "用户名")
    .requiredOption("--districts <list>", "负责的区县，用逗号分隔，如 新华区,卫东区")
    .option("--display-name <name>", "姓名")
    .option("--password-stdin", "从标准输入读取密码（第一行）")
    .action((opts) => createUser("reviewer", opts));
  program
    .command("set-password")
    .description("重置账号密码（同时解除登录锁定并使该账号已有的登录失效）")
    .requiredOption("--username <name>", "用户名")
    .option("--password-stdin", "从标准输入读取密码（第一行）")
    .action(async (opts: { username: string; passwordStdin?: boolean }) => {
      const password = await readPassword(opts.passwordStdin);
      await withAuth(async (auth) => {
        const user = await auth.findUser(opts.username);
        if (!user) throw new Error(`没有账号 ${opts.username}`);
        await auth.setPassword(user.id, password);
        console.log(`已重置 ${user.username} 的密码。`);
      });
    });
  program
    .command("list-users")
    .description("列出账号")
    .action(() =>
      withAuth(async (auth) => {
        const users = await auth.listUsers();
        if (users.length === 0) console.log("还没有账号。");
        for (const u of users) {
          console.log(
            [
              u.username,
              ROLE_LABELS[u.role],
              u.role === "admin" ? "全部区县" : u.districts.join("、"),
              u.disabled ? "已停用" : "正常",
            ].join("\t"),
          );
        }
      }),
    );
  return program;
}

export async function runConsoleCli(argv: string[]): Promise<void> {
  try {
    await consoleProgram().parseAsync(argv);
  } catch (e) {
    console.error(`错误：${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
