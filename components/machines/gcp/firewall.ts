import type * as Compute from "@pulumi/gcp/compute";
import * as pulumi from "@pulumi/pulumi";
import { cidrsByFamily } from "../cidrs";
import { MachineContext } from "../source";
import { GcpCompute } from "./sdk";

/** DockerHost's allow rules and the swarm's: GCE's default priority, evaluated before the deny rules below. */
export const ALLOW_PRIORITY = 1000;
/**
 * The deny rules: right after the allow rules, so SSH and the engine port stay closed to everyone else whatever
 * wider rules the network has (the `default` network admits SSH from the whole internet at 65534). A rule of your
 * own with a priority number of 1000 or less still applies before them.
 */
export const DENY_PRIORITY = 1001;
const EVERYONE = { ipv4: "0.0.0.0/0", ipv6: "::/0" } as const;

/** Where the host's rules go and whom they target. */
export interface HostRulesTarget {
  /** The GCE name base of the host (names.ts): each rule is `BASE-allow-ipv4` and so on. */
  base: string;
  /** The network tag only the instance carries. */
  tag: string;
  network: pulumi.Input<string>;
  project?: pulumi.Input<string>;
}

/**
 * The host's firewall rules, aimed at its own tag: an allow rule per address family of `allowedCidrs` (a GCE rule
 * holds one family) for tcp 22 and the engine port, then a deny rule per family for those ports from everyone else.
 * GCE lets every instance send anything out (its implied egress rule), so no egress rule is needed.
 */
export function hostRules(
  compute: GcpCompute,
  target: HostRulesTarget,
  ctx: MachineContext,
): { allow: Compute.Firewall[]; deny: Compute.Firewall[] } {
  const { name, parent } = ctx;
  const families = cidrsByFamily(ctx.allowedCidrs);
  const ports = ["22", ctx.enginePort.apply(String)];
  const rule = (role: string, args: Partial<Compute.FirewallArgs>) =>
    new compute.Firewall(
      `${name}-${role}`,
      {
        name: `${target.base}-${role}`,
        network: target.network,
        project: target.project,
        direction: "INGRESS",
        targetTags: [target.tag],
        ...args,
      },
      // Names are fixed (GCE's alphabet): a replacement must delete the old rule first.
      { parent, deleteBeforeReplace: true },
    );
  const allow = (["ipv4", "ipv6"] as const)
    .filter((family) => families[family].length > 0)
    .map((family) =>
      rule(`allow-${family}`, {
        description: `DockerHost ${name}: SSH and the Docker Engine API from allowedCidrs (${family})`,
        priority: ALLOW_PRIORITY,
        sourceRanges: families[family],
        allows: [{ protocol: "tcp", ports }],
      }),
    );
  const deny = (["ipv4", "ipv6"] as const).map((family) =>
    rule(`deny-${family}`, {
      description: `DockerHost ${name}: SSH and the Docker Engine API from anywhere else (${family})`,
      priority: DENY_PRIORITY,
      sourceRanges: [EVERYONE[family]],
      denies: [{ protocol: "tcp", ports }],
    }),
  );
  return { allow, deny };
}
