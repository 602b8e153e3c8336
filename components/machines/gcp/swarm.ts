import * as pulumi from "@pulumi/pulumi";
import { InputError } from "../../inputs";
import { SwarmMembers, SwarmRules } from "../source";
import { SWARM_PORTS, swarmRuleDescription } from "../swarmPorts";
import { ALLOW_PRIORITY } from "./firewall";
import { gceName } from "./names";
import { gcpComputeSdk } from "./sdk";

/** The swarm ports by protocol, as one GCE rule lists them. */
function swarmAllows(): { protocol: string; ports: string[] }[] {
  const protocols = [...new Set(SWARM_PORTS.map((p) => p.protocol))];
  return protocols.map((protocol) => ({
    protocol,
    ports: [
      ...new Set(SWARM_PORTS.filter((p) => p.protocol === protocol).map((p) => String(p.port))),
    ],
  }));
}

/** `projects/P/global/networks/N` or a self link or a bare name, as `P/N` (the project given for a bare name). */
export function networkKey(project: string, network: string): string {
  const path = /projects\/([^/]+)\/global\/networks\/([^/]+)$/.exec(network);
  return path
    ? `${path[1] ?? ""}/${path[2] ?? ""}`
    : `${project}/${network.split("/").pop() ?? ""}`;
}

/**
 * ONE firewall rule for the whole swarm, SWARM-gcp-swarm: the swarm ports (tcp 2377, 7946; udp 7946, 4789) from
 * every member's advertise address, aimed at the GCP members. Why their own tags: a tag of the swarm's would need
 * every member instance to carry it, but an instance's tags are its DockerHost's (DockerSwarm creates rules, it does
 * not edit instances), and source tags would match only traffic from the members' internal addresses. So the rule
 * targets each GCP member's own tag (`targetTag`) and admits the members' addresses: it grows with the swarm, the
 * number of rules does not, and a member joining or leaving updates it in place. Each member admits itself too,
 * which opens nothing to anyone else.
 *
 * A GCE rule lives in one network and holds one address family, so every GCP member must share the network
 * (DockerHost's default, `default`, is one) and every member must advertise the same family; otherwise the
 * deployment fails naming the hosts. The rule concerns every member.
 */
export function admitGcpSwarm(swarm: SwarmMembers): SwarmRules[] {
  const compute = gcpComputeSdk(`DockerSwarm "${swarm.swarmName}": the members' firewall rules`);
  const prefix = `DockerSwarm "${swarm.swarmName}": `;
  const first = swarm.members[0]?.firewall;
  const places = pulumi.all(
    swarm.members.map((m) =>
      pulumi
        .all([m.firewall.project ?? "", m.firewall.network ?? ""])
        .apply(([project, network]) => ({ host: m.name, key: networkKey(project, network) })),
    ),
  );
  // The rule goes where the first GCP member is, once every other one is found to be there too.
  const checked = places.apply((all) => {
    const other = all.find((p) => p.key !== all[0]?.key);
    if (other !== undefined) {
      throw new Error(
        `${prefix}hosts ${all[0]?.host ?? ""} and ${other.host} are in different GCE networks (${all[0]?.key ?? ""}, ${other.key}): the swarm's firewall rule lives in one network, so every gcp member needs the same gcp.network`,
      );
    }
    return true;
  });
  const sources = pulumi
    .all(swarm.everyone.map((m) => m.range.apply((range) => ({ host: m.name, range }))))
    .apply((all) => {
      const v6 = (r: string) => r.includes(":");
      const other = all.find((m) => v6(m.range) !== v6(all[0]?.range ?? ""));
      if (other !== undefined) {
        throw new InputError(
          `advertiseAddress.${other.host}`,
          `${prefix}host ${other.host} advertises ${other.range.replace(/\/\d+$/, "")} and host ${all[0]?.host ?? ""} ${(all[0]?.range ?? "").replace(/\/\d+$/, "")}: a GCE firewall rule holds one address family, so the members of a swarm with gcp hosts must all advertise IPv4 or all IPv6 addresses`,
        );
      }
      return all.map((m) => m.range);
    });
  const rule = new compute.Firewall(
    `${swarm.swarmName}-gcp-swarm`,
    {
      name: `${gceName(swarm.swarmName, swarm.swarmKey)}-swarm`,
      project: pulumi.all([first?.project ?? "", checked]).apply(([p]) => p),
      network: pulumi.all([first?.network ?? "", checked]).apply(([n]) => n),
      direction: "INGRESS",
      // Before DockerHost's deny rules: the engine port may be a swarm port.
      priority: ALLOW_PRIORITY,
      sourceRanges: sources,
      targetTags: swarm.members.map((m) => m.firewall.targetTag ?? ""),
      allows: swarmAllows(),
      description: swarmRuleDescription(
        swarm.swarmKey,
        SWARM_PORTS.map((p) => `${String(p.port)}/${p.protocol}`).join(", "),
        "its members",
      ),
    },
    { parent: swarm.parent, deleteBeforeReplace: true },
  );
  return [{ rules: [rule], members: swarm.everyone.map((m) => m.name) }];
}
