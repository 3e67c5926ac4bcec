import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import config from "../../lifecycle.config.ts";
import { viewports, writePreviews } from "../../packages/emails/scripts/previews.ts";

const outDirs: string[] = [];
afterAll(() => {
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "previews-"));
  outDirs.push(dir);
  return dir;
}

/** PNG width and height from the IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("email previews", () => {
  it("writes every kind x locale with the sample code filled in, and an index of them all", async () => {
    const dir = outDir();
    const { previews } = await writePreviews({ config, outDir: dir, screenshots: false });
    expect(previews).toHaveLength(9 * 3);
    const files = readdirSync(dir);
    for (const { base } of previews) {
      expect(files).toContain(`${base}.html`);
      expect(files).toContain(`${base}.txt`);
    }
    expect(readFileSync(join(dir, "signUp.de.html"), "utf8")).toContain("482913");
    expect(readFileSync(join(dir, "adminCreateUser.es.txt"), "utf8")).toContain("Usuario: ada@example.com");
    const index = readFileSync(join(dir, "index.html"), "utf8");
    for (const { base } of previews) expect(index).toContain(`href="${base}.html"`);
  });

  it("screenshots a message at desktop and phone widths with the Debian Chromium", async () => {
    const dir = outDir();
    const docsImage = join(dir, "readme.png");
    const { screenshots } = await writePreviews({
      config,
      outDir: dir,
      screenshots: true,
      docsImage,
      kinds: ["signUp"],
      locales: ["en"],
    });
    expect(screenshots).toBe(2);
    const desktop = pngSize(join(dir, "png", "signUp.en.desktop.png"));
    const phone = pngSize(join(dir, "png", "signUp.en.phone.png"));
    expect(desktop.width).toBe(viewports.desktop.width);
    expect(phone.width).toBe(viewports.phone.width);
    // The card is narrower on a phone, so the text wraps and the page grows.
    expect(phone.height).toBeGreaterThan(desktop.height);
    expect(pngSize(docsImage)).toEqual(desktop);
  });
});
