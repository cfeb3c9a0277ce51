// A minimal MCP Apps host, built on the official AppBridge (ext-apps 2.x): it
// renders a view's HTML in a sandboxed iframe the way a host does (opaque
// origin, the CSP the spec derives from the resource's _meta.ui.csp),
// answers the view's ui/initialize with a host context (theme, locale,
// width, display modes, style variables), delivers the tool input and the
// tool result, and then serves the view: tools/call goes to the test
// (window.hostCallTool, which calls the real server and keeps the answer),
// ui/update-model-context and ui/request-display-mode are recorded in
// window.host. The test drives it through window.mountView and reads the
// rendered view through the iframe.
import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';

// The spec's CSP for a view whose _meta.ui.csp lists no origin at all.
function cspFor(csp) {
  const list = (domains, fallback) => (domains?.length ? domains.join(' ') : fallback);
  return [
    "default-src 'none'",
    `script-src 'unsafe-inline' ${list(csp?.resourceDomains, '')}`,
    `style-src 'unsafe-inline' ${list(csp?.resourceDomains, '')}`,
    `img-src data: ${list(csp?.resourceDomains, '')}`,
    `font-src ${list(csp?.resourceDomains, "'none'")}`,
    `connect-src ${list(csp?.connectDomains, "'none'")}`,
    `frame-src ${list(csp?.frameDomains, "'none'")}`,
    "object-src 'none'",
    `base-uri ${list(csp?.baseUriDomains, "'none'")}`,
  ].join('; ');
}

function withCsp(html, csp) {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${cspFor(csp)}">`;
  return html.replace(/<head>/i, (head) => `${head}${meta}`);
}

window.mountView = async ({
  html, csp, tool, args, result, theme, width, prefersBorder, displayModes = ['inline'], variables,
}) => {
  document.documentElement.dataset.theme = theme;
  const frame = document.createElement('iframe');
  frame.id = 'view';
  frame.title = `${tool.name} view`;
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.style.width = `${width}px`;
  frame.style.height = '200px';
  frame.style.border = prefersBorder ? '1px solid var(--border)' : '0';
  frame.srcdoc = withCsp(html, csp);
  document.body.replaceChildren(frame);

  const host = { calls: [], contextUpdates: [], displayModeRequests: [], displayMode: 'inline' };
  window.host = host;
  const inline = { width, maxHeight: 6000 };
  let context = {
    theme,
    locale: 'en-US',
    platform: 'web',
    displayMode: 'inline',
    availableDisplayModes: displayModes,
    containerDimensions: inline,
    toolInfo: { id: 1, tool },
    ...(variables ? { styles: { variables } } : {}),
  };
  const bridge = new AppBridge(
    null,
    { name: 'malgomo-test-host', version: '2.0.0' },
    { openLinks: {}, logging: {}, serverTools: {}, updateModelContext: { text: {}, structuredContent: {} } },
    { hostContext: context },
  );
  bridge.onsizechange = ({ height }) => {
    if (height != null && host.displayMode === 'inline') frame.style.height = `${Math.ceil(height)}px`;
  };
  // The SDK adds its own _meta (a progress token); the host keeps and
  // forwards what the view asked for: the tool and its arguments.
  bridge.oncalltool = async ({ name, arguments: args }) => {
    const params = { name, arguments: args };
    const answer = await window.hostCallTool(params);
    host.calls.push({ params, result: answer });
    return answer;
  };
  bridge.onupdatemodelcontext = async (params) => {
    host.contextUpdates.push(params);
    return {};
  };
  bridge.onrequestdisplaymode = async ({ mode }) => {
    host.displayModeRequests.push(mode);
    if (!displayModes.includes(mode)) return { mode: host.displayMode };
    host.displayMode = mode;
    const full = { width: window.innerWidth - 32, height: window.innerHeight - 32 };
    frame.style.width = `${mode === 'fullscreen' ? full.width : width}px`;
    if (mode === 'fullscreen') frame.style.height = `${full.height}px`;
    context = { ...context, displayMode: mode, containerDimensions: mode === 'fullscreen' ? full : inline };
    bridge.setHostContext(context);
    return { mode };
  };
  const initialized = new Promise((done) => {
    bridge.oninitialized = done;
  });
  await bridge.connect(new PostMessageTransport(frame.contentWindow, frame.contentWindow));
  await initialized;
  await bridge.sendToolInput({ arguments: args });
  await bridge.sendToolResult(result);
  window.bridge = bridge;
  // The host changes its context as hosts do (theme, mode): only the
  // fields that differ reach the view (ui/notifications/host-context-changed).
  // (The bridge diffs against the object it was last given: never mutate it.)
  window.changeHostContext = (changes) => {
    context = { ...context, ...changes };
    bridge.setHostContext(context);
  };
};
