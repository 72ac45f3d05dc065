import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUILD_ID } from "./buildInfo";

describe("build info", () => {
  it("BUILD_ID is the package's version", () => {
    const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(BUILD_ID).toBe(manifest.version);
  });
});
