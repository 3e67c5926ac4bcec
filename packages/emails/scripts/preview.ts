import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import config from "../../../lifecycle.config.ts";
import { packageDir } from "./compile-templates.ts";
import { writePreviews } from "./previews.ts";

/**
 * `npm run preview:emails`: every kind x locale under `.local/previews/` as HTML and text, an
 * index page, and PNG screenshots at desktop and phone widths (Debian Chromium through
 * playwright-core). `--no-screenshots` skips the PNGs; `--docs-image <file>` also saves the
 * English sign-up email for the README; `--out <dir>` writes elsewhere.
 */
const { values } = parseArgs({
  options: {
    "no-screenshots": { type: "boolean", default: false },
    "docs-image": { type: "string" },
    out: { type: "string" },
  },
});

const outDir = values.out ? resolve(values.out) : join(packageDir, "..", "..", ".local", "previews");
const docsImage = values["docs-image"] ? resolve(values["docs-image"]) : undefined;
const { previews, screenshots } = await writePreviews({
  config,
  outDir,
  screenshots: !values["no-screenshots"],
  ...(docsImage ? { docsImage } : {}),
});
const index = relative(process.cwd(), join(outDir, "index.html"));
console.log(
  `emails: ${previews.length} previews${screenshots ? `, ${screenshots} screenshots` : ""}: open ${index}`,
);
if (docsImage) console.log(`emails: README image ${relative(process.cwd(), docsImage)}`);
