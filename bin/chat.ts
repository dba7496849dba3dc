import "./memory-flags.ts";
import { createInterface } from "node:readline/promises";
import { loadDotEnv } from "../adapters/chat/config.ts";
import { openBot } from "./open-bot.ts";

/**
 * The terminal chat: a private conversation with the bot on the embedded
 * default (no key, no network). Status updates on filed complaints are
 * printed as they arrive.
 */
// Model and backend settings may live in .env, as for the other entry points.
loadDotEnv();
const bot = await openBot();
bot.worker.start();
const rl = createInterface({
  input: process.stdin,
  output: process.stdout,
  terminal: process.stdin.isTTY,
});
console.log(
  `物业助手（${bot.modelName ? `模型：${bot.modelName}` : "离线模式"}）。输入问题后回车；输入「退出」结束。\n例如：物业能因为我欠费停我家的水吗？`,
);
const senderId = "terminal-user";
if (await bot.engine.draftFor("terminal", senderId)) {
  // The casebook kept a complaint from the last session: say so before it catches the next line.
  console.log("提示：您上次有一条投诉还没登记完，接着回答即可；回复「算了」可取消。");
}
const showNotifications = async () => {
  for (const n of await bot.store.pendingNotifications("terminal")) {
    console.log(`\n【通知】${n.text}\n`);
    await bot.store.markNotified(n.id);
  }
};
// Ctrl+C ends the loop below, so pending deliveries are left cleanly in the outbox.
rl.on("SIGINT", () => rl.close());
rl.setPrompt("> ");
rl.prompt();
for await (const line of rl) {
  if (/^(退出|exit|quit)$/i.test(line.trim())) break;
  const reply = await bot.engine.handle({
    platform: "terminal",
    conversationId: senderId,
    chatType: "private",
    senderId,
    text: line,
  });
  console.log(`\n${reply.text}\n`);
  showNotifications();
  rl.prompt();
}
rl.close();
await bot.worker.stop();
await bot.store.close();
