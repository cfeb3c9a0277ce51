// Builds the dashboard view: bundles src/main.js with the ext-apps App SDK
// (esbuild, minified) and inlines it and src/style.css into src/index.html,
// giving one self-contained document that loads nothing from the network.
// Writes shared/src/resources/dashboard.html (embedded into the server with
// include_str!). With --check, builds in memory and fails when the committed
// file differs from a fresh build.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "../shared/src/resources/dashboard.html");
const check = process.argv.includes("--check");

// zod's classic API re-exports every message locale (~250 KB minified); the
// SDK only validates messages and never switches locale, so the bundle
// keeps English, zod's default, and drops the rest.
const englishOnly = {
  name: "zod-english-only",
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`)
        ? { path: path.join(here, "src/zod-locales.js") }
        : undefined,
    );
  },
};

const bundle = await esbuild.build({
  entryPoints: [path.join(here, "src/main.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  legalComments: "none",
  write: false,
  plugins: [englishOnly],
  logLevel: "warning",
});
// Inline script: a literal "</script" inside it would end the element.
const script = bundle.outputFiles[0].text.replaceAll("</script", "<\\/script");
const style = await readFile(path.join(here, "src/style.css"), "utf8");
const template = await readFile(path.join(here, "src/index.html"), "utf8");
const html = template
  .replace("/*STYLE*/", () => style.trim())
  .replace("/*SCRIPT*/", () => script.trim());

if (check) {
  const committed = await readFile(out, "utf8").catch(() => "");
  if (committed !== html) {
    console.error(
      `view: ${path.relative(process.cwd(), out)} differs from a fresh build of view/; run scripts/build-view and commit it`,
    );
    process.exit(1);
  }
  console.log(`view: ${path.relative(process.cwd(), out)} equals a fresh build (${html.length} bytes)`);
} else {
  await writeFile(out, html);
  console.log(`view: wrote ${path.relative(process.cwd(), out)} (${html.length} bytes)`);
}
