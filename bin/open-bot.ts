import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Casebook } from "../adapters/cases/casebook.ts";
import { modelConfigFromEnv } from "../adapters/llm/config.ts";
import { OpenAIChatModel } from "../adapters/llm/openai-chat.ts";
import { OpenAIEmbedder } from "../adapters/llm/openai-embedder.ts";
import { createEngine, type Engine } from "../bot/engine.ts";
import type { EngineLogger } from "../bot/logger.ts";
import { type KnowledgeBase, openKnowledgeBase } from "../knowledge/knowledge-base.ts";
import { progressBar } from "../knowledge/progress.ts";
import { loadPrompts } from "../prompts/load.ts";

export const DATA_DIR = process.env.WUYE_DATA_DIR ?? fileURLToPath(new URL("../.data/", import.meta.url));

export interface Bot {
  engine: Engine;
  knowledge: KnowledgeBase;
  casebook: Casebook;
  modelName: string | undefined;
}

/**
 * Assembles the bot from configuration: the knowledge base (built on first
 * run with a progress bar), the SQLite casebook, and a model when one is
 * configured. Every entry point (terminal, WeChat, Telegram, API) starts here.
 */
export async function openBot(logger?: EngineLogger, backends: string[] = []): Promise<Bot> {
  const model = modelConfigFromEnv(process.env);
  const embedder = model?.embeddings ? await OpenAIEmbedder.create(model) : undefined;
  const bar = progressBar();
  const knowledge = await openKnowledgeBase({
    indexDir: join(DATA_DIR, "index"),
    ...(embedder ? { embedder } : {}),
    onProgress: bar,
  });
  bar.stop();
  const casebook = new Casebook(process.env.CASEBOOK_PATH ?? join(DATA_DIR, "casebook.sqlite"), backends);
  const engine = createEngine({
    knowledge,
    desk: casebook,
    conversations: casebook.conversations(),
    ...(model ? { model: new OpenAIChatModel(model), prompts: loadPrompts(), modelTimeoutMs: model.timeoutMs } : {}),
    ...(logger ? { logger } : {}),
  });
  return { engine, knowledge, casebook, modelName: model?.model };
}
