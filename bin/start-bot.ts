import type { EngineLogger } from "../bot/logger.ts";
import type { Bot } from "./open-bot.ts";

/**
 * Opens the bot for a channel process once its configuration has been
 * checked: the knowledge stack is imported only now, so a configuration
 * mistake is reported before it loads. A failure ends the process with one line.
 */
export async function openBotOrExit(logger: EngineLogger): Promise<Bot> {
  const { openBot } = await import("./open-bot.ts");
  return openBot(logger).catch((e: unknown) => {
    process.stderr.write(`启动失败：${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
