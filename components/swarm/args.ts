import * as pulumi from "@pulumi/pulumi";
import { SwarmFirewallArgs } from "../machines/firewall";

/**
 * One host of a swarm, as data: what DockerSwarm needs to reach it over SSH and to know when its engine serves.
 * A DockerHost has these fields as outputs, so in TypeScript a DockerHost can be listed as it is; other languages
 * pass its outputs field by field.
 */
export interface SwarmNodeArgs {
  /**
   * The host's name in this swarm: the key of `labels` and `advertiseAddress`, the suffix of the swarm's
   * resources for this host, and the node label `docker-host.node`. Letters, digits, `.`, `_` and `-`, at most 63.
   * Default for a DockerHost: its resource name. Required otherwise.
   */
  name?: string;
  /** The host's Docker Engine endpoint (a DockerHost's `dockerHost` output); the swarm's steps on the host wait for it. */
  dockerHost: pulumi.Input<string>;
  /** The address this program reaches the host on over SSH (a DockerHost's `address` output). */
  address: pulumi.Input<string>;
  /** The host's private IPv4 address, or empty (a DockerHost's `privateIp` output). Default advertise address when set. */
  privateIp?: pulumi.Input<string>;
  /** The SSH login user (a DockerHost's `sshUser` output); a user other than root needs passwordless sudo. */
  sshUser: pulumi.Input<string>;
  /** The SSH private key (a DockerHost's `sshPrivateKey` output). Treated as a secret. */
  sshPrivateKey: pulumi.Input<string>;
  /** The SSH port. Default 22. */
  sshPort?: pulumi.Input<number>;
  /**
   * The host's SSH public host key (`ssh-ed25519 AAAA...`), pinned in every connection. ED25519 or ECDSA (an RSA
   * key is rejected, as for a DockerHost's `existing.hostKey`). When absent, the host is not verified and a warning
   * is logged on every run.
   */
  sshHostKey?: pulumi.Input<string>;
  /**
   * The host's cloud firewall (a DockerHost's `firewall` output): DockerSwarm adds rules to it admitting the swarm
   * ports (2377/tcp, 7946/tcp+udp, 4789/udp) from the other members' advertise addresses only. Absent or `none`:
   * no rule; the host's own firewall must admit them (see the README).
   */
  firewall?: SwarmFirewallArgs;
}

/** The inputs of a DockerSwarm: which hosts form the swarm, and in which role. */
export interface DockerSwarmArgs {
  /**
   * The manager hosts, at least one; the first initialises the swarm and runs the swarm-wide commands. A list
   * known when the program runs. Use an odd number: Raft needs a majority of the managers.
   */
  managers: SwarmNodeArgs[];
  /** The worker hosts. A list known when the program runs. Moving a host to `managers` promotes it in place. */
  workers?: SwarmNodeArgs[];
  /**
   * Per host name: the address (an IP address or an interface name such as `eth1`) the host advertises to the
   * other members. Default: the host's private IP where it has one, else its address.
   */
  advertiseAddress?: Record<string, pulumi.Input<string>>;
  /**
   * Per firewall kind, a tag that every member of that kind carries, so that the swarm's rules admit the tag
   * instead of each member and no member joining or leaving changes another member's rules. Known when the program
   * runs. `digitalocean`: a Droplet tag; add it to each member DockerHost's `digitalocean.tags`; the swarm's one
   * firewall then applies to the tag instead of the Droplets' IDs, which is needed beyond 10 DigitalOcean members. Tags are account-wide: every Droplet of the account that carries the tag is
   * admitted, so choose one for this swarm alone. `azure`: an application security group's resource id; list it in
   * each member DockerHost's `azure.applicationSecurityGroupIds` (with `azure.subnetId`: all members in one virtual
   * network); each member's two rules admit the group. Every member must then be an Azure host advertising its
   * private IP (the default). A member without the tag or group is an error naming it.
   */
  firewallTags?: Record<string, string>;
  /** Per host name: swarm node labels (`node.labels.KEY` in placement constraints). Keys starting with `docker-host.` are reserved. */
  labels?: Record<string, pulumi.Input<Record<string, pulumi.Input<string>>>>;
}

/** One member of the swarm, as it joined. */
export interface SwarmNodeInfo {
  /** The host's name in the swarm's inputs. */
  name: string;
  /** `manager` or `worker`. */
  role: string;
  /** The swarm's node ID (`docker node ls`). */
  nodeId: string;
  /** The address the node advertises to the other members. */
  advertiseAddress: string;
}
