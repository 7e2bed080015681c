// DOM helpers. Text from the API (log lines, HELO names, addresses) is hostile: it only
// ever goes in through textContent, never innerHTML.
export function $(sel: string, root: ParentNode = document): HTMLElement {
  const e = root.querySelector<HTMLElement>(sel);
  if (!e) throw new Error(`missing element ${sel}`);
  return e;
}

type Child = Node | string | number | null | undefined;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function setText(e: Element, text: string): void {
  e.textContent = text;
}

export function clear(e: Element): void {
  e.replaceChildren();
}
