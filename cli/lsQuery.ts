// `ls --filter`, `--format` and `-q` as docker-machine had them (commands/ls.go of docker/machine 0.16): filters
// KEY=VALUE, several values of one key OR'ed, different keys AND'ed, `name` a regular expression matched
// anywhere, `state` and `source` compared without case; `--format` a Go template over docker-machine's field
// names (`table` first for aligned columns under a header).
import { CliError, ExitCode } from "./errors";
import { HostRecord } from "./hosts";
import { Probe, renderTable } from "./ls";
import { executeTemplate, fieldsOf, parseTemplate, TemplateError } from "./template";

/** The filters of one `ls`, by key; empty lists filter nothing. */
export interface LsFilters {
  name: RegExp[];
  state: string[];
  source: string[];
}

const FILTER_KEYS = "name, state and source (or driver, docker-machine's name for it)";

/**
 * Parses `--filter` values. Each may hold several, comma-separated (`name=web,state=Running`), as well as
 * repeating `--filter`; a comma is only a separator where a `KEY=` follows it.
 */
export function parseFilters(values: readonly string[]): LsFilters {
  const filters: LsFilters = { name: [], state: [], source: [] };
  for (const filter of values.flatMap((v) => v.split(/,(?=[A-Za-z]+=)/))) {
    const eq = filter.indexOf("=");
    if (eq < 0)
      throw new CliError(
        `unsupported filter syntax ${JSON.stringify(filter)}: use KEY=VALUE with KEY one of ${FILTER_KEYS}`,
        ExitCode.Usage,
      );
    const key = filter.slice(0, eq).toLowerCase();
    const value = filter.slice(eq + 1);
    if (key === "name") {
      try {
        filters.name.push(new RegExp(value));
      } catch (e) {
        throw new CliError(`filter name=${value}: ${(e as Error).message}`, ExitCode.Usage);
      }
    } else if (key === "state") filters.state.push(value.toLowerCase());
    else if (key === "source" || key === "driver") filters.source.push(value.toLowerCase());
    else
      throw new CliError(
        `unsupported filter key '${key}': docker-host ls filters on ${FILTER_KEYS}`,
        ExitCode.Usage,
      );
  }
  return filters;
}

/** Whether a filter needs the live check (state) before the list can be cut down. */
export const needsProbe = (f: LsFilters): boolean => f.state.length > 0;

/** Whether a host passes the filters; `found` is its live check (needed only for a state filter). */
export function matches(host: HostRecord, f: LsFilters, found?: Probe): boolean {
  const any = <T>(list: T[], test: (x: T) => boolean) => list.length === 0 || list.some(test);
  return (
    any(f.name, (r) => r.test(host.name)) &&
    any(f.source, (s) => s === host.source.toLowerCase()) &&
    any(f.state, (s) => s === (found?.state ?? "").toLowerCase())
  );
}

/** docker-machine's field names and its header for each (its `headers` map), then DockerHost's own. */
const HEADERS: Record<string, string> = {
  Name: "NAME",
  Active: "ACTIVE",
  ActiveHost: "ACTIVE_HOST",
  ActiveSwarm: "ACTIVE_SWARM",
  DriverName: "DRIVER",
  State: "STATE",
  URL: "URL",
  Swarm: "SWARM",
  Error: "ERRORS",
  DockerVersion: "DOCKER",
  ResponseTime: "RESPONSE",
  Source: "SOURCE",
  Address: "ADDRESS",
  ServerCert: "SERVER CERT",
  ClientCert: "CLIENT CERT",
  Identities: "IDENTITIES",
};
export const LS_FIELDS = Object.keys(HEADERS);

/** A Go duration as docker-machine printed ResponseTime (rounded to the millisecond): `0s`, `12ms`, `1.203s`, `1m1s`. */
export function goDuration(ms: number): string {
  const whole = Math.round(ms);
  if (whole === 0) return "0s";
  if (whole < 1000) return `${String(whole)}ms`;
  const minutes = Math.floor(whole / 60_000);
  const seconds = (whole % 60_000) / 1000;
  return `${minutes > 0 ? `${String(minutes)}m` : ""}${String(seconds)}s`;
}

/** One host as docker-machine's HostListItem, with the same values for the same facts. */
export function listItem(
  host: HostRecord,
  found: Probe,
  row: readonly string[],
  dockerHostEnv: string | undefined,
): Record<string, string | boolean> {
  const active = found.state === "Running" && host.dockerHost === dockerHostEnv;
  return {
    Name: host.name,
    Active: active ? "*" : "-",
    ActiveHost: active,
    ActiveSwarm: false,
    DriverName: host.source,
    State: found.state,
    URL: host.dockerHost,
    Swarm: "",
    Error: found.error ?? "",
    // docker-machine printed the engine's version with a "v", and Unknown when it did not answer.
    DockerVersion:
      found.version !== undefined && found.version !== "" ? `v${found.version}` : "Unknown",
    ResponseTime: goDuration(found.ms ?? 0),
    Source: host.source,
    Address: host.address,
    // The table's cells (lsRow): the same days-left text in both.
    ServerCert: row[5] ?? "",
    ClientCert: row[6] ?? "",
    Identities: row[7] ?? "",
  };
}

/** A parsed `--format`: the template, and whether it is a table (header, aligned columns). */
export interface LsFormat {
  render: (items: Record<string, string | boolean>[]) => string;
}

/**
 * Parses `--format` as docker-machine did: a leading `table` makes a table, spaces around are trimmed, the two
 * characters `\t` and `\n` become a tab and a newline, and a newline ends each item. Exit code 2 for a field
 * docker-host does not have or an action it does not support.
 */
export function parseLsFormat(format: string): LsFormat {
  const table = format.startsWith("table");
  const body = (table ? format.slice("table".length) : format)
    .trim()
    .replace(/\\t/g, "\t")
    .replace(/\\n/g, "\n");
  let template;
  try {
    template = parseTemplate(`${body}\n`);
  } catch (e) {
    throw new CliError((e as TemplateError).message, ExitCode.Usage);
  }
  for (const path of fieldsOf(template)) {
    const [field] = path;
    if (field === undefined || path.length > 1 || !(field in HEADERS))
      throw new CliError(
        `ls --format: no field .${path.join(".")}; the fields are ${LS_FIELDS.map((f) => `.${f}`).join(", ")}`,
        ExitCode.Usage,
      );
  }
  return {
    render: (items) => {
      const lines = [...(table ? [HEADERS] : []), ...items].map((i) =>
        executeTemplate(template, i),
      );
      if (!table) return lines.join("");
      // Go's tabwriter as docker-machine set it up: cells end at a tab, minimum width 5, padding 3.
      const rows = lines
        .join("")
        .split("\n")
        .slice(0, -1)
        .map((line) => line.split("\t"));
      return renderTable(rows);
    },
  };
}
