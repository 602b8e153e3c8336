import * as pulumi from "@pulumi/pulumi";
import { InputError } from "../../inputs";
import { SwarmFirewallArgs } from "../firewall";
import { SwarmMember, SwarmMembers, SwarmRules } from "../source";
import { virtualNetworkOf } from "./inputs";
import { azureNetworkSdk } from "./sdk";
import { memberRules } from "./swarm";

type AzureMember = SwarmMember & { firewall: SwarmFirewallArgs };

/**
 * With an application security group every member's NIC joins (DockerSwarm's `firewallTags.azure`, listed in each
 * member DockerHost's `azure.applicationSecurityGroupIds`): the same two rules per member's network security group
 * as `admitAzureSwarm` (same names and priorities, so switching shapes updates them in place), whose source is the
 * group instead of addresses. A member's rules depend on nothing but its own firewall and the first member's
 * subnet: one joining or leaving adds or removes its own two rules and changes no other member's, whatever N.
 *
 * The group matches the private addresses of its NICs, all in one virtual network: each member is checked to list
 * the group, to be in the first member's virtual network and to advertise its private IP. Its rules wait for the
 * check, so a member that fails it stops the deployment with its name before its rules exist.
 */
export function admitAzureSwarmByGroup(swarm: SwarmMembers, groupId: string): SwarmRules[] {
  const network = azureNetworkSdk(`DockerSwarm "${swarm.swarmName}": the members' firewalls`);
  const everyone = swarm.everyone.map((m) => m.name);
  const reference = swarm.members[0];
  return swarm.members.map((member) => {
    const gate = checkMember(swarm.swarmName, groupId, member, reference);
    const rules = memberRules(network, swarm, member, {
      source: { sourceApplicationSecurityGroups: [{ id: groupId }] },
      from: "the members' application security group",
      gate,
    });
    return { rules, members: member.role === "manager" ? everyone : [member.name] };
  });
}

/** The member's own fields, checked when they resolve (against the first member's network, for the others). */
function checkMember(
  swarmName: string,
  groupId: string,
  member: AzureMember,
  reference: AzureMember | undefined,
): pulumi.Output<void> {
  const optional = (value: pulumi.Input<string> | undefined) =>
    pulumi.output(value).apply((v: string | null | undefined) => v ?? undefined);
  const referenceSubnet =
    reference !== undefined && reference !== member ? optional(reference.firewall.subnetId) : "";
  return pulumi
    .all([
      optional(member.firewall.applicationSecurityGroupIds),
      optional(member.firewall.subnetId),
      referenceSubnet,
      member.advertise,
      member.privateIp,
    ])
    .apply(([groups, subnet, firstSubnet, advertise, privateIp]) => {
      const prefix = `DockerSwarm "${swarmName}": host ${member.name}`;
      checkGroupListed(prefix, member, groupId, groups);
      checkSameNetwork(prefix, member, reference, subnet, firstSubnet);
      checkAdvertisesPrivateIp(prefix, member, advertise, privateIp);
    });
}

/** The member's NIC joins the group (a member given as data without its groups is taken at its word). */
export function checkGroupListed(
  prefix: string,
  member: AzureMember,
  groupId: string,
  groups: string | undefined,
): void {
  if (groups === undefined) return;
  const listed = groups.split(",").filter((g) => g !== "");
  if (listed.some((g) => g.toLowerCase() === groupId.toLowerCase())) return;
  throw new InputError(
    `${member.where}.firewall.applicationSecurityGroupIds`,
    `${prefix}'s NIC is not in the application security group of firewallTags.azure (${listed.length > 0 ? `it is in ${listed.join(", ")}` : "it is in none"}), so the swarm's rules would not admit it: add "${groupId}" to its DockerHost's azure.applicationSecurityGroupIds (with azure.subnetId)`,
  );
}

/** The member is in the first member's virtual network (either subnet unknown or empty: not checked). */
export function checkSameNetwork(
  prefix: string,
  member: AzureMember,
  reference: AzureMember | undefined,
  subnet: string | undefined,
  firstSubnet: string | undefined,
): void {
  if (subnet === undefined || subnet === "" || firstSubnet === undefined || firstSubnet === "") {
    return;
  }
  if (virtualNetworkOf(subnet) === virtualNetworkOf(firstSubnet)) return;
  throw new InputError(
    `${member.where}.firewall.subnetId`,
    `${prefix} is in virtual network ${virtualNetworkOf(subnet)}, host ${reference?.name ?? "?"} in ${virtualNetworkOf(firstSubnet)}: an application security group matches the NICs of one virtual network only, so give every member of the swarm a subnet of one virtual network (azure.subnetId)`,
  );
}

/** The member advertises its private IP: the only address of its the group matches. */
export function checkAdvertisesPrivateIp(
  prefix: string,
  member: AzureMember,
  advertise: string,
  privateIp: string,
): void {
  if (privateIp !== "" && advertise === privateIp) return;
  throw new InputError(
    `advertiseAddress.${member.name}`,
    `${prefix} advertises ${advertise}${privateIp !== "" ? `, not its private IP ${privateIp}` : " and has no privateIp"}: the application security group of firewallTags.azure matches only its members' private addresses, so the member must advertise its private IP (leave advertiseAddress.${member.name} unset for a DockerHost${privateIp !== "" ? `, or set it to ${privateIp}` : ", or give the host as data with its privateIp"})`,
  );
}
