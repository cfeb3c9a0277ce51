// Tiny DOM builders. Every text goes in through textContent, never markup:
// tool results are data, and names in them (creators, fans) are untrusted.

const SVG = "http://www.w3.org/2000/svg";

function build(element, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") element.textContent = String(value);
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

/** An HTML element: h("p", { class: "x", text: "hello" }, ...children). */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, same signature as h. */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG, tag), attrs, children);
}

let ids = 0;
/** A document-unique id for aria references. */
export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}
