// Small DOM helpers: elements with text and attributes, never innerHTML with data.

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === true) {
      e.setAttribute(name, "");
    } else if (typeof value === "string") {
      e.setAttribute(name, value);
    }
  }
  for (const child of children) {
    if (child) {
      e.append(child);
    }
  }
  return e;
}

export function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) {
    throw new Error(`#${id} is missing from the page`);
  }
  return e as T;
}

export function showError(message: string): void {
  const box = document.getElementById("error");
  if (box) {
    box.textContent = message;
    box.hidden = false;
    setTimeout(() => (box.hidden = true), 8000);
  }
}
