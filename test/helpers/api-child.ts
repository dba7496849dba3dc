/**
 * One `npm run api` process for the multi-process tests, assembled by the real openBot()
 * (so the store comes from DATABASE_URL or CASEBOOK_PATH exactly as in production), serving
 * the HTTP API on 127.0.0.1 on a free port and running a delivery worker with a short lease
 * and interval, so a killed process's claims come back within the test's patience.
 *
 *   node --import tsx test/helpers/api-child.ts      # prints "listening <url>"
 */
import { backendsFromEnv } from "../../adapters/cases/backends-config.ts";
import { createDeliveryWorker } from "../../adapters/cases/delivery-worker.ts";
import { startApi } from "../../adapters/chat/http-api.ts";
import { openBot } from "../../bin/open-bot.ts";
import { silentLogger } from "../../bot/logger.ts";

// An orphan left by a dying test runner must not live on.
setTimeout(() => process.exit(3), 10 * 60_000).unref();

const bot = await openBot(silentLogger);
const delivery = backendsFromEnv(process.env);
const worker = createDeliveryWorker({
  store: bot.store,
  backends: delivery.backends,
  schedule: { delaysSeconds: [0, 1] },
  leaseMs: Number(process.env.TEST_LEASE_MS ?? 2000),
});
const server = await startApi({
  engine: bot.engine,
  store: bot.store,
  apiKeys: [process.env.TEST_API_KEY ?? "test-key-0123456789abcdef"],
  logger: silentLogger,
  host: "127.0.0.1",
  port: 0,
});
worker.start(Number(process.env.TEST_DELIVERY_INTERVAL_MS ?? 100));
process.stdout.write(`listening ${server.url}\n`);
process.on("SIGTERM", () => {
  void server.close(1000).then(async () => {
    await worker.stop();
    process.stdout.write(`repeats ${worker.repeats()}\n`);
    await bot.store.close();
    process.exit(0);
  });
});
