import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiConfig, ConfigError, telegramConfig } from "../../adapters/chat/config.ts";
import { loadGroupMap, parseGroupMap } from "../../adapters/chat/group-map.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const TOKEN = "123456:TEST-token-abcdefghij";
const KEYS = "test-key-0123456789abcdef";

function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const error = e as ConfigError;
    expect(error.message).not.toContain("\n");
    return error;
  }
  throw new Error("expected a ConfigError");
}

describe("channel configuration", () => {
  it("names the key of a bad value", () => {
    const e = configError(() => apiConfig({ API_KEYS: KEYS, API_PORT: "abc" }));
    expect(e.key).toBe("API_PORT");
    expect(e.message).toMatch(/^配置错误：API_PORT 应为 1–65535 之间的端口号/);

    expect(configError(() => apiConfig({ API_KEYS: KEYS, API_PORT: "70000" })).key).toBe(
      "API_PORT",
    );
    expect(
      configError(() => apiConfig({ API_KEYS: KEYS, RATE_LIMIT_USER_PER_MINUTE: "-3" })).key,
    ).toBe("RATE_LIMIT_USER_PER_MINUTE");
    expect(
      configError(() => apiConfig({ API_KEYS: KEYS, LOG_LEVEL: "verbose" })).message,
    ).toContain("LOG_LEVEL");
    expect(configError(() => apiConfig({ API_KEYS: "short" })).message).toContain("API_KEYS");
    expect(
      configError(() => telegramConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: "push" }))
        .message,
    ).toContain("TELEGRAM_MODE");
  });

  it("names TELEGRAM_BOT_TOKEN when telegram starts without it (an empty value counts as missing)", () => {
    for (const env of [{}, { TELEGRAM_BOT_TOKEN: "  " }]) {
      const e = configError(() => telegramConfig(env));
      expect(e.key).toBe("TELEGRAM_BOT_TOKEN");
      expect(e.message).toContain("缺少 TELEGRAM_BOT_TOKEN");
    }
    // The API does not need it.
    expect(() => apiConfig({ API_KEYS: KEYS })).not.toThrow();
  });

  it("asks for the webhook URL and secret only in webhook mode", () => {
    expect(
      configError(() => telegramConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: "webhook" }))
        .key,
    ).toBe("TELEGRAM_WEBHOOK_URL");
    expect(
      configError(() =>
        telegramConfig({
          TELEGRAM_BOT_TOKEN: TOKEN,
          TELEGRAM_MODE: "webhook",
          TELEGRAM_WEBHOOK_URL: "http://insecure.example.cn/hook",
        }),
      ).key,
    ).toBe("TELEGRAM_WEBHOOK_URL");
    const ok = telegramConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_MODE: "webhook",
      TELEGRAM_WEBHOOK_URL: "https://bot.example.cn/tg",
      TELEGRAM_WEBHOOK_SECRET: "0123456789abcdef",
    });
    expect(ok.webhook).toEqual({
      url: "https://bot.example.cn/tg",
      secret: "0123456789abcdef",
      host: "127.0.0.1",
      port: 8788,
    });
  });

  it("fills defaults and splits API_KEYS", () => {
    const c = apiConfig({ API_KEYS: ` ${KEYS} , second-key-0123456789abcdef ,` });
    expect(c).toMatchObject({
      apiKeys: [KEYS, "second-key-0123456789abcdef"],
      host: "127.0.0.1",
      port: 8787,
      rateLimits: { perUserPerMinute: 10, perGroupPerMinute: 30 },
      logLevel: "info",
      groupMapFileRequired: false,
    });
    expect(c.groupMapFile).toBe(join(ROOT, "config/groups.yaml"));
    const t = telegramConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: "http://127.0.0.1:9/",
    });
    expect(t).toMatchObject({ mode: "polling", apiRoot: "http://127.0.0.1:9" });
  });

  it("stops the entry points with one line naming the key", () => {
    const run = (script: string, env: Record<string, string>) =>
      spawnSync(process.execPath, ["--import", "tsx", script], {
        cwd: ROOT,
        // Empty values shadow anything a developer's .env might set.
        env: {
          PATH: process.env.PATH ?? "",
          TELEGRAM_BOT_TOKEN: "",
          API_KEYS: "",
          LLM_BASE_URL: "",
          ...env,
        },
        encoding: "utf8",
        timeout: 30_000,
      });
    const api = run("bin/api.ts", { API_KEYS: KEYS, API_PORT: "abc" });
    expect(api.status).toBe(1);
    expect(api.stderr.trim().split("\n")).toHaveLength(1);
    expect(api.stderr).toContain("API_PORT");

    const tg = run("bin/telegram.ts", {});
    expect(tg.status).toBe(1);
    expect(tg.stderr.trim().split("\n")).toHaveLength(1);
    expect(tg.stderr).toContain("TELEGRAM_BOT_TOKEN");
  });
});

describe("group map", () => {
  it("looks a group up by platform and id or room topic", () => {
    const map = parseGroupMap(
      [
        "groups:",
        "  - platform: telegram",
        "    group: -1001234567890",
        "    community: 鹰城花园",
        "    district: 卫东区",
        "  - platform: wechat",
        "    group: 建业森林半岛业主群",
        "    district: 新华区",
      ].join("\n"),
      "groups.yaml",
    );
    expect(map.groupInfo("telegram", "-1001234567890")).toEqual({
      community: "鹰城花园",
      district: "卫东区",
    });
    expect(map.groupInfo("wechat", "建业森林半岛业主群")).toEqual({ district: "新华区" });
    expect(map.groupInfo("wechat", "-1001234567890")).toBeUndefined();
  });

  it("rejects an unknown district, naming the file and the key", () => {
    const dir = mkdtempSync(join(tmpdir(), "wuye-groups-"));
    const file = join(dir, "groups.yaml");
    writeFileSync(
      file,
      "groups:\n  - platform: telegram\n    group: '-100'\n    district: 卫东区\n  - platform: telegram\n    group: '-200'\n    district: 东城区\n",
    );
    const e = configError(() => loadGroupMap(file, { required: true }));
    expect(e.key).toBe("groups[1].district");
    expect(e.message).toContain(file);
    expect(e.message).toContain("groups[1].district");
    expect(e.message).toContain("东城区");
    expect(e.message).toContain("湛河区");
  });

  it("rejects misspelt keys, duplicates and broken YAML", () => {
    expect(
      configError(() =>
        parseGroupMap(
          "groups:\n  - platform: telegram\n    group: '-1'\n    distrct: 卫东区\n",
          "g.yaml",
        ),
      ).message,
    ).toContain("distrct");
    expect(
      configError(() =>
        parseGroupMap(
          "groups:\n  - {platform: telegram, group: '-1', district: 卫东区}\n  - {platform: telegram, group: -1, district: 新华区}\n",
          "g.yaml",
        ),
      ).message,
    ).toContain("重复");
    expect(configError(() => parseGroupMap("groups: [\n", "g.yaml")).message).toContain("YAML");
  });

  it("treats a missing default file as empty but a missing named file as an error", () => {
    const missing = join(tmpdir(), "no-such-dir-wuye", "groups.yaml");
    expect(loadGroupMap(missing).size).toBe(0);
    expect(configError(() => loadGroupMap(missing, { required: true })).key).toBe("GROUP_MAP_FILE");
  });

  it("ships a valid example", () => {
    const example = join(ROOT, "config/groups.example.yaml");
    const map = parseGroupMap(readFileSync(example, "utf8"), example);
    expect(map.size).toBeGreaterThan(0);
    expect(map.groupInfo("telegram", "-1001234567890")?.district).toBe("卫东区");
  });
});
