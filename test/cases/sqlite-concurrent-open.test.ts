import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { SCHEMA_VERSION } from "../../adapters/cases/casebook-schema.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CASEBOOK = fileURLToPath(new URL("../../adapters/cases/casebook.ts", import.meta.url));

describe("several processes starting on a new SQLite casebook", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("migrates it once while the others wait, and every process starts", async () => {
    dir = mkdtempSync(join(tmpdir(), "wuye-open-"));
    const path = join(dir, "casebook.sqlite");
    // As the bot processes open it: no busy wait while serving.
    const code = `import { Casebook } from ${JSON.stringify(CASEBOOK)};
      const b = new Casebook(${JSON.stringify(path)}, [], undefined, { busyTimeoutMs: 0 });
      console.log("version", b.db.pragma("user_version", { simple: true }));
      b.close();`;
    const runs = Array.from(
      { length: 4 },
      () =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn(
            process.execPath,
            ["--import", "tsx", "--input-type=module", "-e", code],
            { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
          );
          let out = "";
          child.stdout.on("data", (d: Buffer) => {
            out += d.toString();
          });
          child.stderr.on("data", (d: Buffer) => {
            out += d.toString();
          });
          child.on("exit", (exit) => resolve({ code: exit, out }));
        }),
    );
    for (const { code: exit, out } of await Promise.all(runs)) {
      expect(out).toContain(`version ${SCHEMA_VERSION}`);
      expect(exit).toBe(0);
    }
  }, 60_000);
});
