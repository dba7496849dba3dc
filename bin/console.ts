import { runConsoleCli } from "../console/cli.ts";

/** `npm run console` starts the staff console; `npm run console -- create-admin …` manages accounts. */
await runConsoleCli(process.argv);
