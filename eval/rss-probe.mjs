import { writeFileSync } from "node:fs";

/**
 * Preloaded into a child process by the benchmark (node --import): on exit,
 * writes the process's peak resident memory (KB) to $WUYE_RSS_REPORT.<pid>,
 * since Node cannot read a child's resource usage.
 */
const out = process.env.WUYE_RSS_REPORT;
if (out) {
  process.on("exit", () => {
    writeFileSync(`${out}.${process.pid}`, String(process.resourceUsage().maxRSS));
  });
}
