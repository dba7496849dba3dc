/**
 * Vitest global setup/teardown for the phone-number guard (see
 * test/helpers/logging.ts). Setup gives this run its own folder under
 * test-output/logs/ and clears what earlier, finished runs left there;
 * teardown scans every file under test-output/logs/ and fails the run when
 * any line holds a mainland phone number.
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { assertLogsClean, LOG_DIR_ENV, LOG_ROOT } from "./helpers/logging.ts";

const RUN_DIR = /^run-\d+-(\d+)$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function setup(): void {
  mkdirSync(LOG_ROOT, { recursive: true });
  // Keep only the folders of runs still going (another terminal); the rest was already scanned.
  for (const name of readdirSync(LOG_ROOT)) {
    const pid = RUN_DIR.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && alive(Number(pid))) continue;
    rmSync(join(LOG_ROOT, name), { recursive: true, force: true });
  }
  const dir = join(LOG_ROOT, `run-${Date.now()}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  // Workers are started after global setup and inherit this.
  process.env[LOG_DIR_ENV] = dir;
}

export function teardown(): void {
  try {
    assertLogsClean(LOG_ROOT);
  } catch (error) {
    // Vitest only logs a teardown error; make sure the run fails as well.
    process.exitCode = 1;
    throw error;
  }
}
