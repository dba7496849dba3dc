/**
 * A tiny HTML template: every interpolated value is escaped unless it is
 * already `Html` (the result of another `html` template or of `raw`). Arrays
 * are joined, and null, undefined and false render as nothing, so templates
 * can use `cond && html`…`` and `items.map(…)` directly.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? "");
  });
  return new Html(out);
}

/** Trusted markup produced by our own code (the SVG chart); never pass user text here. */
export function raw(markup: string): Html {
  return new Html(markup);
}
