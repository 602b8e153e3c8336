import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerSwarm, DockerSwarmArgs, FirewallKind } from "../../components";

import { registeredUnder, settle } from "./helpers/mocks";
import { awsFw, azFw, cloudNode, installSwarmMocks } from "./helpers/swarmRules";

// DockerSwarm's members' firewalls it refuses: before any resource exists, or failing the deployment and naming
// the host.

const unsafe = (value: unknown) => value as never; // what a YAML or Python caller can send

describe("DockerSwarm: the members' cloud firewalls it refuses (mocks)", () => {
  before(installSwarmMocks);

  // Every kind a machine source has, then none (machines/firewall.ts).
  const KINDS = Object.values(FirewallKind).join(", ");
  const bad: [string, DockerSwarmArgs, string][] = [
    [
      "an unknown firewall kind",
      { managers: [cloudNode("a", "10.0.0.1", unsafe({ kind: "openstack" }))] },
      `managers[0].firewall.kind must be one of ${KINDS}, known when the program runs, got "openstack"`,
    ],
    [
      "a firewall kind from an output",
      { managers: [cloudNode("a", "10.0.0.1", unsafe({ kind: pulumi.output("aws") }))] },
      `managers[0].firewall.kind must be one of ${KINDS}, known when the program runs, got an output`,
    ],
    [
      "an aws firewall without its network interface",
      {
        managers: [
          cloudNode(
            "a",
            "10.0.0.1",
            unsafe({ kind: "aws", securityGroupId: "sg-a", vpcId: "vpc-1" }),
          ),
        ],
      },
      "managers[0].firewall.networkInterfaceId is required for a firewall of kind aws",
    ],
    [
      "an aws firewall without its VPC",
      {
        managers: [
          cloudNode("a", "10.0.0.1", unsafe({ kind: "aws", networkInterfaceId: "eni-a" })),
        ],
      },
      "managers[0].firewall.vpcId is required for a firewall of kind aws",
    ],
    [
      "an azure firewall without its group name",
      {
        managers: [cloudNode("a", "10.0.0.1", unsafe({ kind: "azure", resourceGroupName: "rg" }))],
      },
      "managers[0].firewall.networkSecurityGroupName is required for a firewall of kind azure",
    ],
  ];
  bad.forEach(([label, args, message], i) => {
    it(`rejects ${label} before any resource exists`, async () => {
      const name = `fwbad${String(i)}`;
      assert.throws(() => new DockerSwarm(name, args), {
        message: `DockerSwarm "${name}": ${message}`,
      });
      await settle();
      assert.deepEqual(registeredUnder(name).mine, []);
    });
  });

  const later: [string, DockerSwarmArgs, string][] = [
    [
      "a member advertising an interface name",
      {
        managers: [cloudNode("a", "10.0.0.1", awsFw("a"))],
        workers: [cloudNode("b", "10.0.0.2")],
        advertiseAddress: { b: "eth1" },
      },
      "host b advertises \"eth1\", not an IP address: the members' cloud firewalls admit the swarm ports from the members' advertise addresses, so set advertiseAddress.b to the IP address it advertises",
    ],
    [
      "two members advertising one address",
      {
        managers: [cloudNode("a", "10.0.0.4", azFw("nsg-a"))],
        workers: [cloudNode("b", "10.0.0.4", azFw("nsg-b"))],
      },
      "hosts a and b both advertise 10.0.0.4: each member needs an address the others reach it on (cloud DockerHosts that each have a network of their own may share a private address: advertise their publicIp)",
    ],
    [
      "a Droplet ID that is not a number",
      {
        managers: [
          cloudNode(
            "a",
            "10.0.0.1",
            unsafe({ kind: "digitalocean", dropletId: pulumi.output("") }),
          ),
          cloudNode("b", "10.0.0.2"),
        ],
      },
      'managers[0].firewall.dropletId must be a Droplet ID (digits), got ""',
    ],
    [
      "AWS members in two VPCs",
      {
        managers: [cloudNode("a", "172.31.0.1", awsFw("a", "vpc-1"))],
        workers: [
          cloudNode("b", "172.31.0.2", awsFw("b", "vpc-1")),
          cloudNode("c", "172.31.0.3", awsFw("c", pulumi.output("vpc-2") as unknown as string)),
        ],
      },
      "the AWS members must share one VPC (the swarm's security group admits its members from itself, which works within one VPC): a, b in vpc-1; c in vpc-2",
    ],
    [
      "AWS members in two regions",
      {
        managers: [cloudNode("a", "172.31.0.1", awsFw("a", "vpc-1", "eu-west-1"))],
        workers: [cloudNode("b", "172.31.0.2", awsFw("b", "vpc-2", "us-east-1"))],
      },
      "the AWS members must share one region (a VPC, and so the swarm's security group, is in one region): a in eu-west-1; b in us-east-1",
    ],
    [
      "an AWS member advertising its public address",
      {
        managers: [cloudNode("a", "172.31.0.1", awsFw("a"))],
        workers: [cloudNode("b", "172.31.0.2", awsFw("b"))],
        advertiseAddress: { b: "203.0.113.2" },
      },
      "host b advertises 203.0.113.2, not its private IP 172.31.0.2: the AWS members admit each other through the swarm's security group, which matches their private addresses only; advertise the private IP (the default: leave advertiseAddress.b unset)",
    ],
  ];
  later.forEach(([label, args, message], i) => {
    it(`fails the deployment, naming the host, for ${label}`, async () => {
      const name = `fwlater${String(i)}`;
      const swarm = new DockerSwarm(name, args);
      const outcome = (swarm.nodes as unknown as { promise(): Promise<unknown> }).promise();
      const expected = `DockerSwarm "${name}": ${message}`;
      await assert.rejects(outcome, (e: Error) => {
        assert.ok(e.message.endsWith(expected), e.message);
        return true;
      });
    });
  });
});
