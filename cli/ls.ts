// `ls`: every DockerHost of the stack, whether its engine answers a mutual-TLS `GET /version` right now, and how
// long its certificates have left.
import { ClientRequest, IncomingMessage } from "node:http";
import * as https from "node:https";
import { TLSSocket } from "node:tls";
import { X509Certificate } from "node:crypto";
import { HostRecord, missingNote } from "./hosts";

/** Certificates closer than this to their end are flagged (tls.earlyRenewalDays defaults to 30 too). */
export const WARN_DAYS = 30;

/** What one mutual-TLS `GET /version` found. */
export interface Probe {
  /**
   * `Running`: HTTP 200 over mutual TLS. `Stopped`: nothing listens at the engine port (refused, or the machine
   * is down). `Timeout`: no answer in time. `Error`: anything else (a TLS failure, another status).
   */
  state: "Running" | "Stopped" | "Timeout" | "Error";
  version?: string;
  /** The end of the certificate the engine presented. */
  serverNotAfter?: Date;
  error?: string;
  /** How long the answer took, in milliseconds (the time limit when none came). */
  ms?: number;
}

/** Socket errors that mean nothing listens there: dockerd stopped (refused), or the machine is down. */
const STOPPED_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "EHOSTDOWN"]);

/** `tcp://HOST:PORT` as the parts https needs (IPv6 brackets removed). */
export function endpoint(dockerHost: string): { host: string; port: number } {
  const url = new URL(dockerHost.replace(/^tcp:/, "https:"));
  return { host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || "2376") };
}

/** A mutual-TLS `GET /version` with the stack's bundle, at most `timeoutMs` long, timed. */
export async function probe(host: HostRecord, timeoutMs: number): Promise<Probe> {
  const start = Date.now();
  const found = await probeOnce(host, timeoutMs);
  return { ...found, ms: found.state === "Timeout" ? timeoutMs : Date.now() - start };
}

function probeOnce(host: HostRecord, timeoutMs: number): Promise<Probe> {
  return new Promise((resolve) => {
    let target: { host: string; port: number };
    try {
      target = endpoint(host.dockerHost);
    } catch {
      resolve({ state: "Error", error: `bad DOCKER_HOST ${host.dockerHost}` });
      return;
    }
    let req: ClientRequest;
    try {
      req = https.request(
        {
          ...target,
          path: "/version",
          ca: host.caCert,
          cert: host.clientCert,
          key: host.clientKey,
          agent: false,
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          answer(res, resolve);
        },
      );
    } catch (e) {
      // TLS material in the stack that is not PEM (a damaged checkpoint) fails here: this host's row says so.
      resolve({ state: "Error", error: `the stack's client bundle: ${(e as Error).message}` });
      return;
    }
    req.on("error", (e: NodeJS.ErrnoException) => {
      const timedOut = e.name === "AbortError" || e.name === "TimeoutError";
      const stopped = e.code !== undefined && STOPPED_CODES.has(e.code);
      resolve(
        timedOut
          ? { state: "Timeout", error: `no answer in ${String(timeoutMs / 1000)} s` }
          : { state: stopped ? "Stopped" : "Error", error: e.message },
      );
    });
    req.end();
  });
}

/** The engine's answer: its version on HTTP 200, and the end of the certificate it presented. */
function answer(res: IncomingMessage, resolve: (found: Probe) => void): void {
  const peer = res.socket instanceof TLSSocket ? res.socket.getPeerX509Certificate() : undefined;
  const seen = peer !== undefined ? { serverNotAfter: new Date(peer.validTo) } : {};
  let body = "";
  res.setEncoding("utf8");
  res.on("data", (chunk: string) => (body += chunk));
  res.on("end", () => {
    if (res.statusCode !== 200) {
      resolve({ state: "Error", error: `GET /version: HTTP ${String(res.statusCode)}`, ...seen });
      return;
    }
    let version = "";
    try {
      const reported = (JSON.parse(body) as { Version?: unknown }).Version;
      version = typeof reported === "string" ? reported : "";
    } catch {
      /* an answer that is not JSON: reachable, version unknown */
    }
    resolve({ state: "Running", version, ...seen });
  });
  res.on("error", (e) => {
    resolve({ state: "Error", error: e.message });
  });
}

/** Whole days from `now` until `end` (negative once expired). */
export function daysLeft(end: Date, now: Date): number {
  return Math.floor((end.getTime() - now.getTime()) / 86_400_000);
}

/** The end of a PEM certificate, or undefined when it cannot be parsed. */
export function notAfter(pem: string | undefined): Date | undefined {
  if (pem === undefined || pem === "") return undefined;
  try {
    return new Date(new X509Certificate(pem).validTo);
  } catch {
    return undefined;
  }
}

/** A certificate cell: `364d`, `12d (renew)` under WARN_DAYS, `expired`, or `Unknown`. */
export function certCell(end: Date | undefined, now: Date): string {
  if (end === undefined) return "Unknown";
  const days = daysLeft(end, now);
  if (days < 0) return "expired";
  return days < WARN_DAYS ? `${String(days)}d (renew)` : `${String(days)}d`;
}

export const LS_HEADER = [
  "NAME",
  "ADDRESS",
  "DOCKER_HOST",
  "STATE",
  "DOCKER",
  "SERVER CERT",
  "CLIENT CERT",
  "IDENTITIES",
  "ERRORS",
];

/**
 * One table row, and the warnings (stderr) for certificates near or past their end. The server certificate's
 * end is the live answer's, else the stack's `serverCertValidUntil`; the client's is `clientCertValidUntil`, else
 * read from `clientCert` (a stack an older DockerHost deployed records no end dates).
 */
export function lsRow(
  host: HostRecord,
  found: Probe,
  now: Date,
): { row: string[]; warnings: string[] } {
  const server = found.serverNotAfter ?? host.serverCertValidUntil;
  const client = host.clientCertValidUntil ?? notAfter(host.clientCert);
  const warnings: string[] = [];
  for (const [what, end, output] of [
    ["server", server, "serverCertValidUntil"],
    ["client", client, "clientCertValidUntil"],
  ] as const) {
    if (end === undefined) {
      const note = missingNote(host, [output]);
      // An old stack: say why the cell reads Unknown and how to fill it, rather than look elsewhere.
      if (note !== "")
        warnings.push(
          `${host.name}: the ${what} certificate's end is unknown${note}: run pulumi up to record it`,
        );
      continue;
    }
    const warning = expiryWarning(`the ${what} certificate`, end, now, "tls.rotation");
    if (warning !== undefined) warnings.push(`${host.name}: ${warning}`);
  }
  const identities = Object.entries(host.clients).map(([name, client]) => {
    const end = client.validUntil ?? notAfter(client.clientCert);
    const warning =
      end === undefined
        ? undefined
        : expiryWarning(
            `client identity ${name}'s certificate`,
            end,
            now,
            `tls.clients.${name}.rotation`,
          );
    if (warning !== undefined) warnings.push(`${host.name}: ${warning}`);
    return `${name} ${certCell(end, now)}`;
  });
  return {
    row: [
      host.name,
      host.address || "-",
      host.dockerHost,
      found.state,
      found.version !== undefined && found.version !== "" ? found.version : "Unknown",
      certCell(server, now),
      certCell(client, now),
      identities.length > 0 ? identities.join(", ") : "-",
      found.error ?? "",
    ],
    warnings,
  };
}

/** What to say about a certificate that ends within WARN_DAYS, or has ended; undefined otherwise. */
function expiryWarning(what: string, end: Date, now: Date, rotation: string): string | undefined {
  const days = daysLeft(end, now);
  if (days >= WARN_DAYS) return undefined;
  return `${what} ${days < 0 ? "expired" : `expires in ${String(days)} days`} (${end.toISOString()}): change ${rotation} and run pulumi up`;
}

/** Columns as Docker Machine's `ls` laid them out (Go's tabwriter: minimum width 5, padding 3). */
export function renderTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  return rows
    .map(
      (row) =>
        row
          .map((cell, i) =>
            i === row.length - 1 ? cell : cell.padEnd(Math.max(5, (widths[i] ?? 0) + 3)),
          )
          .join("")
          .trimEnd() + "\n",
    )
    .join("");
}
