/** What the first manager's join step prints on stdout (secret in the state: the tokens are in it). */
export interface FirstManagerOutput {
  clusterId: string;
  nodeId: string;
  /** `ADDRESS:2377`, the address other hosts join at. */
  managerAddress: string;
  workerToken: string;
  managerToken: string;
}

/** The `key: value` lines a swarm step prints on stdout. */
export function parseResults(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split("\n")) {
    const match = /^([a-z-]+): (.*)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) out[match[1]] = match[2].trim();
  }
  return out;
}

export function parseFirstManager(stdout: string): FirstManagerOutput {
  const r = parseResults(stdout);
  return {
    clusterId: r["cluster-id"] ?? "",
    nodeId: r["node-id"] ?? "",
    managerAddress: r["manager-address"] ?? "",
    workerToken: r["worker-token"] ?? "",
    managerToken: r["manager-token"] ?? "",
  };
}

/** The node ID a join step printed. */
export function parseNodeId(stdout: string): string {
  return parseResults(stdout)["node-id"] ?? "";
}

/** Node labels as the membership step takes them: `KEY=VALUE` lines, sorted, so equal maps render equally. */
export function renderLabels(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ""}`)
    .join("\n");
}
