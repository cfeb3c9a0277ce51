// The dashboard view's entry: the MCP Apps handshake with the host (the
// official App SDK), then one render per tool result, in the host's theme,
// fonts, locale and size. A document that carries its own result (the docs
// page's demo, <script id="demo-result">) renders it without a host.

import {
  App,
  applyDocumentTheme,
  applyHostFonts,
  applyHostStyleVariables,
} from "@modelcontextprotocol/ext-apps";
import { setLocale } from "./format.js";
import { failure, render } from "./render.js";

const root = document.getElementById("view");
let last;

function show(result) {
  last = result;
  root.replaceChildren(...render(result));
  root.dataset.state = result?.isError ? "error" : "ready";
}

function adopt(context) {
  if (!context) return;
  if (context.theme) applyDocumentTheme(context.theme);
  if (context.styles?.variables) applyHostStyleVariables(context.styles.variables);
  if (context.styles?.css?.fonts) applyHostFonts(context.styles.css.fonts);
  if (context.locale) {
    setLocale(context.locale);
    if (last) show(last);
  }
  const size = context.containerDimensions;
  const style = document.documentElement.style;
  if (size && "width" in size) style.width = "100vw";
  else if (size?.maxWidth) style.maxWidth = `${size.maxWidth}px`;
  if (size && "height" in size) style.height = "100vh";
  else if (size?.maxHeight) style.maxHeight = `${size.maxHeight}px`;
  const insets = context.safeAreaInsets;
  if (insets) {
    document.body.style.padding = `${insets.top}px ${insets.right}px ${insets.bottom}px ${insets.left}px`;
  }
}

const demo = document.getElementById("demo-result");
if (demo) {
  show(JSON.parse(demo.textContent));
} else {
  const app = new App({ name: "MalGomo dashboard", version: "1.0.0" });
  app.ontoolresult = show;
  app.ontoolcancelled = () => {
    root.replaceChildren(...failure("The tool call was cancelled."));
  };
  app.onhostcontextchanged = (changed) => adopt(changed);
  app
    .connect()
    .then(() => adopt(app.getHostContext()))
    .catch(() => {
      root.replaceChildren(...failure("The dashboard could not reach its host."));
    });
}
