// The part of Go's text/template that docker-machine's `ls --format` and `inspect --format` were used with:
// text, `{{.Field}}` and `{{.A.B}}` (a field, or a map key), `{{.}}`, and the functions `json` and `prettyjson`
// that docker-machine's inspect added, with `{{-`/`-}}` trimming. Values print as Go's fmt does (`map[a:b]`,
// `[x y]`, `<no value>` for a missing map key), so a template written for docker-machine prints the same here.
// Anything else (if, range, pipes...) is refused with a message rather than printed half right.

/** A bad template: a usage error for the command that got it. */
export class TemplateError extends Error {}

type Node = { text: string } | { fn: "" | "json" | "prettyjson"; path: string[]; source: string };

/** A parsed template. */
export interface Template {
  nodes: Node[];
}

const FIELD_PATH = /^\.(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)?$/;

/** Parses `source`; throws a TemplateError for an unclosed or unsupported action. */
export function parseTemplate(source: string): Template {
  const nodes: Node[] = [];
  let rest = source;
  while (rest !== "") {
    const open = rest.indexOf("{{");
    if (open < 0) {
      nodes.push({ text: rest });
      break;
    }
    let text = rest.slice(0, open);
    const close = rest.indexOf("}}", open + 2);
    if (close < 0) throw new TemplateError("template: unclosed action");
    let inner = rest.slice(open + 2, close);
    rest = rest.slice(close + 2);
    // Go's trim markers: "{{- " drops the white space before the action, " -}}" the white space after it.
    if (/^-\s/.test(inner)) {
      text = text.trimEnd();
      inner = inner.slice(1);
    }
    if (/\s-$/.test(inner)) {
      rest = rest.trimStart();
      inner = inner.slice(0, -1);
    }
    if (text !== "") nodes.push({ text });
    nodes.push(action(inner.trim()));
  }
  return { nodes };
}

function action(source: string): Node {
  const words = source.split(/\s+/);
  const [first = "", second, ...more] = words;
  const fn = first === "json" || first === "prettyjson" ? first : "";
  const path = fn === "" ? first : (second ?? "");
  if ((fn === "" ? second : more[0]) !== undefined || !FIELD_PATH.test(path))
    throw new TemplateError(
      `template: unsupported action {{${source}}}: docker-host supports {{.Field}}, {{json .Field}} and {{prettyjson .Field}}`,
    );
  return { fn, path: path.split(".").filter((p) => p !== ""), source };
}

/** The field paths a template reads, e.g. [["Name"], ["Driver", "IPAddress"]]. */
export function fieldsOf(template: Template): string[][] {
  return template.nodes.flatMap((n) => ("path" in n ? [n.path] : []));
}

/** Runs the template on `data`: a missing map key prints `<no value>`, as Go prints it. */
export function executeTemplate(template: Template, data: unknown): string {
  return template.nodes
    .map((n) => {
      if ("text" in n) return n.text;
      const value = lookup(data, n.path);
      if (n.fn === "json") return goJson(value);
      if (n.fn === "prettyjson") return goJson(value, "    ");
      return goPrint(value);
    })
    .join("");
}

const NO_VALUE = Symbol("no value");

function lookup(data: unknown, path: readonly string[]): unknown {
  let value: unknown = data;
  for (const key of path) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return NO_VALUE;
    const record = value as Record<string, unknown>;
    if (!(key in record)) return NO_VALUE;
    value = record[key];
  }
  return value;
}

/** A value as Go's fmt prints it with %v (a JSON-decoded value: strings, float64s, bools, maps, slices, nil). */
export function goPrint(value: unknown): string {
  if (value === NO_VALUE) return "<no value>";
  if (value === null || value === undefined) return "<nil>";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(goPrint).join(" ")}]`;
  const record = value as Record<string, unknown>;
  return `map[${Object.keys(record)
    .sort()
    .map((k) => `${k}:${goPrint(record[k])}`)
    .join(" ")}]`;
}

/** Go's json.Marshal (MarshalIndent with `indent`): map keys sorted, `<`, `>` and `&` escaped. */
export function goJson(value: unknown, indent?: string): string {
  if (value === NO_VALUE) return "null";
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v === null || typeof v !== "object") return v;
    const record = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((k) => [k, sorted(record[k])]),
    );
  };
  // JSON.stringify returns undefined for undefined, despite its declared type.
  return ((JSON.stringify(sorted(value), null, indent) as string | undefined) ?? "null")
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026");
}
