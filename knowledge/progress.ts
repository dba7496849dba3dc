import cliProgress from "cli-progress";
import type { OpenOptions } from "./knowledge-base.ts";

/** A progress bar on stderr (stdout stays clean for JSON), one bar per stage. */
export function progressBar(): NonNullable<OpenOptions["onProgress"]> & { stop(): void } {
  let bar: cliProgress.SingleBar | undefined;
  let stage = "";
  const report = (name: string, done: number, total: number) => {
    if (name !== stage) {
      bar?.stop();
      stage = name;
      bar = new cliProgress.SingleBar(
        {
          format: `${name.padEnd(6, "　")} [{bar}] {value}/{total}`,
          stream: process.stderr,
          hideCursor: true,
          noTTYOutput: false,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    }
    bar?.update(done);
  };
  return Object.assign(report, {
    stop() {
      bar?.stop();
    },
  });
}
