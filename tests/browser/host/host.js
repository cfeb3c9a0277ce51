// A minimal MCP Apps host, built on the official AppBridge: it renders a
// view's HTML in a sandboxed iframe the way a host does (opaque origin, the
// CSP the spec derives from the resource's _meta.ui.csp), answers the
// view's ui/initialize with a host context (theme, locale, width), then
// delivers the tool input and the tool result. The test drives it through
// window.mountView and reads the rendered view through the iframe.
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

window.mountView = async ({ html, csp, toolName, args, result, theme, width, prefersBorder }) => {
  document.documentElement.dataset.theme = theme;
  const frame = document.createElement('iframe');
  frame.id = 'view';
  frame.title = `${toolName} view`;
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.style.width = `${width}px`;
  frame.style.height = '200px';
  frame.style.border = prefersBorder ? '1px solid var(--border)' : '0';
  frame.srcdoc = withCsp(html, csp);
  document.body.replaceChildren(frame);

  const bridge = new AppBridge(
    null,
    { name: 'malgomo-test-host', version: '1.0.0' },
    { openLinks: {}, logging: {} },
    {
      hostContext: {
        theme,
        locale: 'en-US',
        platform: 'web',
        displayMode: 'inline',
        containerDimensions: { width, maxHeight: 6000 },
      },
    },
  );
  bridge.onsizechange = ({ height }) => {
    if (height != null) frame.style.height = `${Math.ceil(height)}px`;
  };
  const initialized = new Promise((done) => {
    bridge.oninitialized = done;
  });
  await bridge.connect(new PostMessageTransport(frame.contentWindow, frame.contentWindow));
  await initialized;
  await bridge.sendToolInput({ arguments: args });
  await bridge.sendToolResult(result);
  window.bridge = bridge;
};
