// An experiment for bench/swarm-scale.sh --drop-unread-outputs, not a product path: how much of a program's peak
// memory would go if the Pulumi SDK made no Output for the output properties DockerHost and DockerSwarm never read.
// The SDK's transferProperties makes, for every property of a resource being registered (its inputs and every
// output its class declares), one Output and four promises, each promise with a stack trace formatted on it. This
// wraps it and leaves out each property that is not an input and not in READ.
import * as path from "node:path";

/**
 * The output properties the components read (aws, digitalocean and azure hosts in a swarm), found by a run that
 * wrapped each property in a getter and listed those read. If the components start reading another output, a run
 * with the experiment fails on it (undefined has no `apply`): add it here.
 */
const READ = new Set(
  [
    "certPem certRequestPem fingerprint ipAddress ipConfigurations ipv4Address ipv4AddressPrivate ipv6Address",
    "keyName location name primaryNetworkInterfaceId privateIp privateKeyOpenssh privateKeyPem publicIp",
    "publicKeyOpenssh region stdout validityEndTime vpcId",
  ]
    .join(" ")
    .split(" "),
);

type Transfer = (onto: object, label: string, props: Record<string, unknown>) => unknown;

/** Installs the wrapper in this process's Pulumi SDK; returns how many properties it has left out so far. */
export function dropUnreadOutputs(): () => number {
  const rpcPath = require.resolve("@pulumi/pulumi/runtime/rpc", {
    paths: [path.join(__dirname, "..")],
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const rpc = require(rpcPath) as { transferProperties: Transfer };
  const transfer = rpc.transferProperties;
  let dropped = 0;
  rpc.transferProperties = (onto, label, props) => {
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(props)) {
      if (value !== undefined || READ.has(key)) kept[key] = value;
      else dropped++;
    }
    return transfer(onto, label, kept);
  };
  return () => dropped;
}
