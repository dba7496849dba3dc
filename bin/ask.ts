import { loadDotEnv } from "../adapters/chat/config.ts";
import { openBot } from "./open-bot.ts";

/** Answers one question and exits: npm run ask -- "问题" */
const question = process.argv.slice(2).join(" ").trim();
if (question === "") {
  console.error('用法：npm run ask -- "物业能因为我欠费停我家的水吗"');
  process.exit(2);
}
// Model and backend settings may live in .env, as for the other entry points.
loadDotEnv();
const bot = await openBot(undefined, undefined, { ephemeralConversations: true });
const reply = await bot.engine.handle({
  platform: "cli",
  conversationId: "ask",
  chatType: "private",
  senderId: "ask",
  text: question,
});
console.log(reply.text);
await bot.store.close();
