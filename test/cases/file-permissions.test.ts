import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Casebook } from "../../adapters/cases/casebook.ts";
import { filedCase } from "./support.ts";

const mode = (path: string) => statSync(path).mode & 0o777;

describe("the casebook on disk", () => {
  let root: string;
  let previous: number;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "wuye-perm-"));
    previous = process.umask(0o022);
  });

  afterEach(() => {
    process.umask(previous);
    rmSync(root, { recursive: true, force: true });
  });

  it("is readable by the service account alone under umask 022: folder 0700, file, WAL and SHM 0600", () => {
    const dataDir = join(root, "data");
    const path = join(dataDir, "casebook.sqlite");
    const book = new Casebook(path, ["open311"], undefined, { privateFolder: true });
    try {
      const c = filedCase();
      book.file({ complaint: c.complaint, origin: c.origin, transcript: c.transcript });
      expect(mode(dataDir)).toBe(0o700);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(mode(file)).toBe(0o600);
    } finally {
      book.close();
    }
  });

  it("tightens a data folder and casebook that an older version left world-readable", () => {
    const dataDir = join(root, "old");
    const path = join(dataDir, "casebook.sqlite");
    new Casebook(path).close();
    // As an older release left them (umask 022).
    for (const [p, m] of [
      [dataDir, 0o755],
      [path, 0o644],
    ] as const) {
      chmodSync(p, m);
    }
    const book = new Casebook(path, [], undefined, { privateFolder: true });
    book.close();
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path)).toBe(0o600);
  });
});
