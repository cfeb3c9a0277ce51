// The dashboard view's entry: the MCP Apps handshake with the host (the
// official App SDK, 2.x), then one render per tool result, in the host's
// theme, fonts, locale and size. Where the host runs tools for the view
// (hostCapabilities.serverTools) a toolbar switches section and period by
// calling the data tool again through the host, then tells the model what
// is on screen (ui/update-model-context); where the host offers fullscreen
// the wider layout shows all three sections at once. A document that
// carries its own result (the docs page's demo, <script id="demo-result">)
// renders it without a host and without the toolbar.

import {
  App,
  applyDocumentTheme,
  applyHostFonts,
  applyHostStyleVariables,
} from "@modelcontextprotocol/ext-apps";
import { h } from "./dom.js";
import { setLocale } from "./format.js";
import { failure, render, textOf } from "./render.js";
import {
  SECTIONS,
  modelContext,
  periodById,
  periodOf,
  sectionById,
  sectionOf,
} from "./sections.js";
import { toolbar } from "./toolbar.js";

const root = document.getElementById("view");

/** What is on screen, and what the host lets the view do. */
const state = {
  section: undefined,
  period: "today",
  busy: false,
  fullscreen: false,
  canFullscreen: false,
  canSwitch: false,
};
/** The results shown: [{ section, result }], one inline, three fullscreen. */
let shown = [];
let toolArgs;
let loads = 0;
let app;

/** Inline the view stays short (≤ 500 px): the headline, figures and main
 * chart; the rest of a section waits behind "More". */
function compact(nodes) {
  if (nodes.length <= 3) return nodes;
  return [
    ...nodes.slice(0, 3),
    h("details", { class: "more" },
      h("summary", { text: "Categories, creators and more" }),
      h("div", { class: "more-body" }, ...nodes.slice(3))),
  ];
}

function paint() {
  const bar = state.canSwitch
    ? toolbar(state, {
      section: (id) => load(id, state.period),
      period: (id) => load(state.section ?? "revenue", id),
      fullscreen: (wanted) => requestFullscreen(wanted),
    })
    : null;
  const status = state.busy
    ? h("p", {
      class: "loading",
      role: "status",
      text: `Loading ${state.fullscreen ? "all sections" : sectionById(state.section)?.name ?? "the dashboard"}, ${periodById(state.period)?.name ?? state.period}…`,
    })
    : null;
  const content = state.fullscreen
    ? [h("div", { class: "panes" }, shown.map(({ section, result }) =>
      h("section", { class: "pane", "data-pane": section }, ...render(result))))]
    : shown.slice(0, 1).flatMap(({ result }) => compact(render(result)));
  const body = h("div", { class: state.busy ? "content stale" : "content", "aria-busy": String(state.busy) }, ...content);
  root.replaceChildren(...[bar, status, body].filter(Boolean));
  root.dataset.mode = state.fullscreen ? "fullscreen" : "inline";
  root.dataset.state = state.busy
    ? "loading"
    : shown.some(({ result }) => result?.isError) ? "error" : "ready";
}

/** A result arrived from the host (the model's call, or the first one). */
function show(result) {
  const tool = app?.getHostContext()?.toolInfo?.tool?.name;
  const data = result?.structuredContent;
  state.section = sectionOf(data) ?? SECTIONS.find((s) => s.tool === tool)?.id ?? state.section;
  state.period = periodOf(toolArgs, data);
  shown = [{ section: state.section, result }];
  if (state.fullscreen && state.canSwitch) load(state.section ?? "revenue", state.period);
  else paint();
}

/** Calls the section's data tool through the host; a refusal is shown as
 * the tool's own error results are. */
async function call(section, period) {
  try {
    return await app.callServerTool({ name: sectionById(section).tool, arguments: { period } });
  } catch (err) {
    return {
      isError: true,
      content: [{ type: "text", text: `The host could not run the tool: ${err?.message ?? err}` }],
    };
  }
}

/** Switches to `section` and `period`: every section at once in fullscreen. */
async function load(section, period) {
  const mine = ++loads;
  Object.assign(state, { section, period, busy: true });
  paint();
  const wanted = state.fullscreen ? SECTIONS.map((s) => s.id) : [section];
  const results = await Promise.all(wanted.map((id) => call(id, period)));
  if (mine !== loads) return; // a later switch won
  shown = wanted.map((id, i) => ({ section: id, result: results[i] }));
  state.busy = false;
  paint();
  tellModel();
}

function tellModel() {
  if (!app.getHostCapabilities()?.updateModelContext) return;
  const seen = shown.map(({ section, result }) =>
    result?.isError
      ? { section, error: textOf(result) || "error" }
      : { section, data: result?.structuredContent });
  app.updateModelContext(modelContext(state.period, seen, state.fullscreen)).catch(() => {});
}

async function requestFullscreen(wanted) {
  try {
    const { mode } = await app.requestDisplayMode({ mode: wanted ? "fullscreen" : "inline" });
    enter(mode === "fullscreen");
  } catch {
    // The host kept its mode; the view stays as it is.
  }
}

/** The host's display mode changed (on request, or by itself). */
function enter(fullscreen) {
  if (fullscreen === state.fullscreen) return;
  state.fullscreen = fullscreen;
  if (fullscreen && state.canSwitch) {
    load(state.section ?? "revenue", state.period);
  } else {
    shown = shown.filter(({ section }) => section === state.section).slice(0, 1);
    paint();
  }
}

function adopt(context) {
  if (!context) return;
  if (context.theme) applyDocumentTheme(context.theme);
  if (context.styles?.variables) applyHostStyleVariables(context.styles.variables);
  if (context.styles?.css?.fonts) applyHostFonts(context.styles.css.fonts);
  // Repaint only for what changes the rendering (a repaint closes what the
  // user opened), not for every size or style change.
  let repaint = false;
  if (context.locale) {
    setLocale(context.locale);
    repaint = true;
  }
  const size = context.containerDimensions;
  if (size) {
    // Fixed sides fill the container; bounded ones cap the document. A
    // change (fullscreen and back) replaces what the last one set.
    const style = document.documentElement.style;
    style.width = "width" in size ? "100vw" : "";
    style.maxWidth = !("width" in size) && size.maxWidth ? `${size.maxWidth}px` : "";
    style.height = "height" in size ? "100vh" : "";
    style.maxHeight = !("height" in size) && size.maxHeight ? `${size.maxHeight}px` : "";
  }
  const insets = context.safeAreaInsets;
  if (insets) {
    document.body.style.padding = `${insets.top}px ${insets.right}px ${insets.bottom}px ${insets.left}px`;
  }
  if (context.availableDisplayModes) {
    const can = context.availableDisplayModes.includes("fullscreen");
    repaint ||= can !== state.canFullscreen;
    state.canFullscreen = can;
  }
  if (context.displayMode) enter(context.displayMode === "fullscreen");
  if (repaint && shown.length) paint();
}

const demo = document.getElementById("demo-result");
if (demo) {
  show(JSON.parse(demo.textContent));
} else {
  app = new App(
    { name: "MalGomo dashboard", version: "2.0.0" },
    { availableDisplayModes: ["inline", "fullscreen"] },
  );
  app.ontoolinput = (input) => {
    toolArgs = input?.arguments;
  };
  app.ontoolresult = show;
  app.ontoolcancelled = () => {
    root.replaceChildren(...failure("The tool call was cancelled."));
  };
  app.onhostcontextchanged = (changed) => adopt(changed);
  app
    .connect()
    .then(() => {
      state.canSwitch = Boolean(app.getHostCapabilities()?.serverTools);
      adopt(app.getHostContext());
      if (shown.length) paint();
    })
    .catch(() => {
      root.replaceChildren(...failure("The dashboard could not reach its host."));
    });
}
