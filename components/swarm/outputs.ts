import { parseStepOutput, stepValue } from "../remote/output";

/** What the first manager's join step prints on stdout (secret in the state: the tokens are in it). */
export interface FirstManagerOutput {
  clusterId: string;
  nodeId: string;
  /** `ADDRESS:2377`, the address other hosts join at. */
  managerAddress: string;
  workerToken: string;
  managerToken: string;
}

/** The first manager's results its join step printed; "" for any it did not print. */
export function parseFirstManager(stdout: string): FirstManagerOutput {
  const r = parseStepOutput(stdout);
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
  return stepValue(stdout, "node-id");
}

/** Node labels as the membership step takes them: `KEY=VALUE` lines, sorted, so equal maps render equally. */
export function renderLabels(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ""}`)
    .join("\n");
}
