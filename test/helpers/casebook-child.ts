/**
 * A bot process to kill in crash tests:
 *
 *   node --import tsx test/helpers/casebook-child.ts <casebook file> [<open311 endpoint> <api key>]
 *
 * Files the fees complaint through the real engine, prints `case <id>`, then
 * either waits (no endpoint: nothing is ever delivered) or runs one delivery
 * pass against the endpoint and waits. It never exits on its own before the
 * safety timeout; the test kills it with SIGKILL.
 */
import { Casebook } from "../../adapters/cases/casebook.ts";
import { createDeliveryWorker } from "../../adapters/cases/delivery-worker.ts";
import { Open311Backend } from "../../adapters/cases/open311.ts";
import { createEngine } from "../../bot/engine.ts";
import { CHILD_LEASE_MS } from "./child-lease.ts";
import { FEES_COMPLAINT_TURNS, tellInPrivate } from "./complaint-conversation.ts";
import { shippedKnowledgeBase } from "./knowledge.ts";

// An orphan left by a dying test runner must not live on.
setTimeout(() => process.exit(3), 120_000);
setInterval(() => undefined, 60_000);

const [path, endpoint, apiKey] = process.argv.slice(2);
if (!path) throw new Error("usage: casebook-child.ts <casebook> [<endpoint> <api key>]");

const casebook = new Casebook(path, ["open311"]);
const engine = createEngine({
  knowledge: await shippedKnowledgeBase(),
  desk: casebook,
  conversations: casebook.conversations(),
});
const reply = await tellInPrivate(engine, FEES_COMPLAINT_TURNS, { senderId: "crash-resident" });
const filed = reply.caseNumber ? casebook.byNumber(reply.caseNumber) : undefined;
if (!filed) throw new Error(`not filed: ${reply.kind}`);
process.stdout.write(`case ${filed.id}\n`);

if (endpoint && apiKey) {
  const worker = createDeliveryWorker({
    store: casebook.store,
    // Longer than the test waits, so the held answer can't turn into a recorded retry.
    backends: [new Open311Backend({ endpoint, apiKey, timeoutMs: 110_000 })],
    schedule: { delaysSeconds: [0] },
    // Short, so the test sees a dead claimer's lease run out.
    leaseMs: CHILD_LEASE_MS,
  });
  const run = await worker.runOnce();
  process.stdout.write(`ran ${JSON.stringify(run)}\n`);
}
