import { describe, expect, it } from "vitest";
import { backendsFromEnv } from "../../adapters/cases/backends-config.ts";
import { Open311Backend } from "../../adapters/cases/open311.ts";
import { WebhookBackend } from "../../adapters/cases/webhook.ts";

const OPEN311 = {
  OPEN311_ENDPOINT: "https://311.example.gov.cn/open311/v2/",
  OPEN311_API_KEY: "key-open311-secret",
};
const WEBHOOK = {
  WEBHOOK_URL: "https://hooks.example.gov.cn/wuye",
  WEBHOOK_SECRET: "hook-secret-value",
};

function failure(env: NodeJS.ProcessEnv): string {
  try {
    backendsFromEnv(env);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("expected a configuration error");
}

describe("backendsFromEnv", () => {
  it("configures no backend and the default schedule when nothing is set", () => {
    expect(backendsFromEnv({})).toEqual({
      backends: [],
      schedule: { delaysSeconds: [0, 300, 1800] },
    });
    expect(backendsFromEnv({ OPEN311_ENDPOINT: " ", WEBHOOK_URL: "" }).backends).toEqual([]);
  });

  it("configures Open311 with jurisdiction and service codes", () => {
    const { backends } = backendsFromEnv({
      ...OPEN311,
      OPEN311_JURISDICTION_ID: "pds.gov.cn",
      OPEN311_SERVICE_CODES: '{"fees":"101","safety":"102"}',
    });
    expect(backends.map((b) => b.name)).toEqual(["open311"]);
    const open311 = backends[0] as Open311Backend;
    expect(open311).toBeInstanceOf(Open311Backend);
    expect(open311.serviceCodeFor("fees")).toBe("101");
    expect(open311.serviceCodeFor("governance")).toBe("governance");
  });

  it("configures both backends, Open311 first, with a custom schedule and attempt limit", () => {
    const config = backendsFromEnv({
      ...OPEN311,
      ...WEBHOOK,
      DELIVERY_RETRY_SCHEDULE: " 0, 60 ,600",
      DELIVERY_MAX_ATTEMPTS: "12",
    });
    expect(config.backends.map((b) => b.name)).toEqual(["open311", "webhook"]);
    expect(config.backends[1]).toBeInstanceOf(WebhookBackend);
    expect(config.schedule).toEqual({ delaysSeconds: [0, 60, 600], maxAttempts: 12 });
  });

  it.each([
    [{ DELIVERY_RETRY_SCHEDULE: "0,5分钟" }, "DELIVERY_RETRY_SCHEDULE"],
    [{ DELIVERY_RETRY_SCHEDULE: "0,,300" }, "DELIVERY_RETRY_SCHEDULE"],
    [{ DELIVERY_RETRY_SCHEDULE: "-5" }, "DELIVERY_RETRY_SCHEDULE"],
    [{ DELIVERY_MAX_ATTEMPTS: "0" }, "DELIVERY_MAX_ATTEMPTS"],
    [{ DELIVERY_MAX_ATTEMPTS: "3.5" }, "DELIVERY_MAX_ATTEMPTS"],
    [{ ...OPEN311, OPEN311_ENDPOINT: "ftp://311.example.gov.cn/" }, "OPEN311_ENDPOINT"],
    [{ OPEN311_ENDPOINT: OPEN311.OPEN311_ENDPOINT }, "OPEN311_API_KEY"],
    [{ OPEN311_API_KEY: OPEN311.OPEN311_API_KEY }, "OPEN311_ENDPOINT"],
    [{ OPEN311_SERVICE_CODES: '{"fees":"101"}' }, "OPEN311_ENDPOINT"],
    [{ ...OPEN311, OPEN311_SERVICE_CODES: "fees=101" }, "OPEN311_SERVICE_CODES"],
    [{ ...OPEN311, OPEN311_SERVICE_CODES: '{"parking":"101"}' }, "OPEN311_SERVICE_CODES"],
    [{ ...OPEN311, OPEN311_SERVICE_CODES: '{"fees":""}' }, "OPEN311_SERVICE_CODES"],
    [{ ...OPEN311, OPEN311_SERVICE_CODES: '["fees"]' }, "OPEN311_SERVICE_CODES"],
    [{ WEBHOOK_URL: "not a url", WEBHOOK_SECRET: "s" }, "WEBHOOK_URL"],
    [{ WEBHOOK_URL: WEBHOOK.WEBHOOK_URL }, "WEBHOOK_SECRET"],
    [{ WEBHOOK_SECRET: WEBHOOK.WEBHOOK_SECRET }, "WEBHOOK_URL"],
  ])("rejects %o with a one-line Chinese message naming %s", (env, key) => {
    const message = failure(env);
    expect(message).toContain(key);
    expect(message).toContain("配置项");
    expect(message).not.toContain("\n");
    // A secret is never repeated back.
    expect(message).not.toContain(OPEN311.OPEN311_API_KEY);
    expect(message).not.toContain(WEBHOOK.WEBHOOK_SECRET);
  });
});
