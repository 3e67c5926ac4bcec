import { describe, expect, it } from "vitest";
import { parseBenchArgs } from "../../packages/bench/src/args.ts";

describe("the bench's command line", () => {
  it("measures every section unless --only names some", () => {
    expect(parseBenchArgs([])).toEqual({ json: false, quick: false });
    expect(parseBenchArgs(["--json", "--quick"])).toEqual({ json: true, quick: true });
  });

  it("limits a run to the sections --only names, once each", () => {
    expect(parseBenchArgs(["--json", "--only=latency, events,latency"])).toEqual({
      json: true,
      quick: false,
      only: ["latency", "events"],
    });
  });

  it("refuses an unknown option, an unknown or empty section list, and a repeated --only", () => {
    expect(parseBenchArgs(["--fast"])).toEqual({ error: "Unknown option(s): --fast" });
    expect(parseBenchArgs(["--only=latency,warm"])).toEqual({ error: "Unknown section(s) in --only: warm" });
    expect(parseBenchArgs(["--only="])).toEqual({ error: "--only names no section" });
    expect(parseBenchArgs(["--only=latency", "--only=events"])).toMatchObject({
      error: expect.stringContaining("more than once"),
    });
  });
});
