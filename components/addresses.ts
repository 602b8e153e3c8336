import { isIP } from "node:net";

/** The server certificate's subject alternative names, split the way X.509 (and @pulumi/tls) wants them. */
export interface SanList {
  ipAddresses: string[];
  dnsNames: string[];
}

/**
 * Every name a client may use for the engine: the machine's addresses, `localhost`, `127.0.0.1` (the host's own
 * readiness check) and any extra names. Sorted and without duplicates, so that the same set always yields the
 * same certificate request and a new certificate is issued only when the set really changes.
 */
export function serverSans(
  addresses: readonly string[],
  extraSans: readonly string[] = [],
): SanList {
  const ips = new Set<string>(["127.0.0.1"]);
  const names = new Set<string>(["localhost"]);
  for (const raw of [...addresses, ...extraSans]) {
    const entry = raw.trim().replace(/^\[(.*)\]$/, "$1");
    if (entry === "") continue;
    if (isIP(entry) !== 0) ips.add(entry);
    else names.add(entry.toLowerCase().replace(/\.$/, ""));
  }
  return { ipAddresses: [...ips].sort(), dnsNames: [...names].sort() };
}

/** `host:port` with IPv6 literals bracketed, as URLs and DOCKER_HOST need. */
export function hostPort(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** The DOCKER_HOST value for an address and engine port; empty without an address (a stopped machine may have none). */
export function dockerHostUrl(address: string, port: number): string {
  if (address === "") return "";
  return `tcp://${hostPort(address, port)}`;
}

/** The address dockerd listens on: every IPv4 address, or every address (dual stack) when clients use IPv6. */
export function listenAddress(clientAddress: string, port: number): string {
  return isIP(clientAddress) === 6 ? `tcp://[::]:${port}` : `tcp://0.0.0.0:${port}`;
}
