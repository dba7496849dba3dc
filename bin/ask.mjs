// npm run ask starts here: bin/ask.ts, prebuilt into one file (see fast-start.mjs).
import { start } from "./fast-start.mjs";

await start("bin/ask.ts");
