// Builds the dashboard view: bundles src/main.js with the ext-apps App SDK
// (2.x, on the TypeScript SDK v2's client and core; esbuild, minified) and inlines it and src/style.css into src/index.html,
// giving one self-contained document that loads nothing from the network.
// Writes shared/src/resources/dashboard.html (embedded into the server with
// include_str!). With --check, builds in memory and fails when the committed
// file differs from a fresh build. Either way it fails when the document is
// over its size budget.
import { readFile, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import path from "node:path";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "../shared/src/resources/dashboard.html");
const check = process.argv.includes("--check");
// Hosts fetch the document with every conversation that shows it: it stays
// under 100 KB gzipped (issue 23), checked on every build.
const GZIP_BUDGET = 100_000;

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

// The App SDK takes only the Protocol class from @modelcontextprotocol/client
// and a few schemas from @modelcontextprotocol/core, but neither package
// declares itself free of side effects, so a bundler keeps all of them (the
// whole MCP client, its OAuth and its JSON Schema validators: ~70 KB
// minified). They have none at load time; saying so lets esbuild drop every
// module the view never reaches.
const sdkWithoutSideEffects = {
  name: "mcp-sdk-side-effect-free",
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.resolving) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { resolving: true },
      });
      const sdk = /[\\/]node_modules[\\/]@modelcontextprotocol[\\/](client|core)[\\/]/;
      return resolved.errors.length === 0 && sdk.test(resolved.path)
        ? { ...resolved, sideEffects: false }
        : undefined;
    });
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
  plugins: [englishOnly, sdkWithoutSideEffects],
  logLevel: "warning",
});
// Inline script: a literal "</script" inside it would end the element.
const script = bundle.outputFiles[0].text.replaceAll("</script", "<\\/script");
const style = await readFile(path.join(here, "src/style.css"), "utf8");
const template = await readFile(path.join(here, "src/index.html"), "utf8");
const html = template
  .replace("/*STYLE*/", () => style.trim())
  .replace("/*SCRIPT*/", () => script.trim());

const gzipped = gzipSync(html, { level: 9 }).length;
const size = `${html.length} bytes, ${gzipped} gzipped`;
if (gzipped > GZIP_BUDGET) {
  console.error(`view: the document is ${size}, over the budget of ${GZIP_BUDGET} gzipped bytes`);
  process.exit(1);
}

if (check) {
  const committed = await readFile(out, "utf8").catch(() => "");
  if (committed !== html) {
    console.error(
      `view: ${path.relative(process.cwd(), out)} differs from a fresh build of view/; run scripts/build-view and commit it`,
    );
    process.exit(1);
  }
  console.log(`view: ${path.relative(process.cwd(), out)} equals a fresh build (${size})`);
} else {
  await writeFile(out, html);
  console.log(`view: wrote ${path.relative(process.cwd(), out)} (${size})`);
}
