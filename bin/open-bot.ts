import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { backendsFromEnv } from "../adapters/cases/backends-config.ts";
import type { CaseBackend } from "../adapters/cases/case-backend.ts";
import type { CaseStore } from "../adapters/cases/case-store.ts";
import { Casebook } from "../adapters/cases/casebook.ts";
import { createDeliveryWorker, type DeliveryWorker } from "../adapters/cases/delivery-worker.ts";
import { SqliteCaseStore } from "../adapters/cases/sqlite-store.ts";
import { storeBindings } from "../adapters/chat/message-gate.ts";
import { modelConfigFromEnv } from "../adapters/llm/config.ts";
import { MemoryConversationStore } from "../bot/conversation-state.ts";
import { createEngine, type Engine } from "../bot/engine.ts";
import type { EngineLogger } from "../bot/logger.ts";
import { type KnowledgeBase, openKnowledgeBase } from "../knowledge/knowledge-base.ts";
import { progressBar } from "../knowledge/progress.ts";

export const DATA_DIR =
  process.env.WUYE_DATA_DIR ?? fileURLToPath(new URL("../.data/", import.meta.url));

export interface Bot {
  engine: Engine;
  knowledge: KnowledgeBase;
  /** The shared database: PostgreSQL when DATABASE_URL is set, else the SQLite casebook. */
  store: CaseStore;
  /** Delivers filed cases to the configured backends; the entry point starts and stops it. */
  worker: DeliveryWorker;
  modelName: string | undefined;
}

/**
 * Assembles the bot from configuration: the knowledge base (built on first
 * run with a progress bar), the SQLite casebook, the case backends with their
 * delivery worker (not started), and a model when one is configured. Every
 * entry point (terminal, WeChat, Telegram, API) starts here. `backends`
 * replaces the ones configured in the environment.
 */
export async function openBot(
  logger?: EngineLogger,
  backends?: CaseBackend[],
  options: { ephemeralConversations?: boolean } = {},
): Promise<Bot> {
  const model = modelConfigFromEnv(process.env);
  // Read before the slow index build, so a configuration mistake is reported at once.
  const delivery = backendsFromEnv(process.env);
  const caseBackends = backends ?? delivery.backends;
  // The OpenAI client is loaded only when a model is configured: the offline
  // default starts without it.
  const embedder = model?.embeddings
    ? await (await import("../adapters/llm/openai-embedder.ts")).OpenAIEmbedder.create(model)
    : undefined;
  const chat = model
    ? {
        model: new (await import("../adapters/llm/openai-chat.ts")).OpenAIChatModel(model),
        prompts: (await import("../prompts/load.ts")).loadPrompts(),
        modelTimeoutMs: model.timeoutMs,
      }
    : undefined;
  const bar = progressBar();
  const knowledge = await openKnowledgeBase({
    indexDir: join(DATA_DIR, "index"),
    ...(embedder ? { embedder } : {}),
    onProgress: bar,
  });
  bar.stop();
  const store = await openStore(caseBackends.map((b) => b.name));
  const bindings = storeBindings(
    store,
    store instanceof SqliteCaseStore
      ? (number, origin) => store.casebook.statusOf(number, origin)
      : undefined,
  );
  const engine = createEngine({
    knowledge,
    desk: bindings.desk,
    // A one-shot question must not walk into a conversation left from an earlier run.
    conversations: options.ephemeralConversations
      ? new MemoryConversationStore()
      : bindings.conversations,
    oneShot: options.ephemeralConversations === true,
    ...(chat ?? {}),
    ...(logger ? { logger } : {}),
  });
  const worker = createDeliveryWorker({
    store,
    backends: caseBackends,
    schedule: delivery.schedule,
    ...(logger ? { logger } : {}),
  });
  return { engine, knowledge, store, worker, modelName: model?.model };
}

/**
 * PostgreSQL when DATABASE_URL is set (several processes, several machines); otherwise the
 * SQLite casebook in the data folder, exactly as a single-machine install always had it.
 */
export async function openStore(backends: string[]): Promise<CaseStore> {
  const url = process.env.DATABASE_URL?.trim();
  if (url) {
    const { PgCaseStore } = await import("../adapters/cases/pg-store.ts");
    return PgCaseStore.open(url, backends);
  }
  const path = process.env.CASEBOOK_PATH ?? join(DATA_DIR, "casebook.sqlite");
  return new Casebook(path, backends, undefined, {
    busyTimeoutMs: 0,
    privateFolder: process.env.CASEBOOK_PATH === undefined,
  }).store;
}
