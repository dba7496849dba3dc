import { setFlagsFromString } from "node:v8";

/**
 * Imported first by the terminal chat: V8 keeps the heap small (returns the
 * young generation's pages, compacts the old one) instead of sizing it for
 * throughput, which a one-person chat does not need. tsx starts the process,
 * so the flag cannot go on its command line; V8 reads it at each collection,
 * so setting it here, before the bot is opened, takes effect.
 */
setFlagsFromString("--optimize-for-size");
