import * as pulumi from "@pulumi/pulumi";
import { cloudMachine, generateSshKeys, userDataWithHostKey, warnWorldOpen } from "../cloud";
import { FirewallKind } from "../firewall";
import { Machine } from "../machine";
import { MachineContext } from "../source";
import { HetznerInputs } from "./inputs";
import { hetznerName, labelValue } from "./names";
import { hcloudSdk } from "./sdk";

/**
 * A Hetzner Cloud server for DockerHost: Ubuntu 24.04 (kept after the first deploy), a Hetzner firewall admitting
 * `allowedCidrs` only on 22 and the engine port (and ICMP when asked), applied through the server's `firewallIds`
 * so it protects the first boot (a firewall attachment would only follow it); with no outbound rule, Hetzner lets
 * everything out. The login key as an `hcloud.SshKey` (root logs in with it; Hetzner then sets no root password),
 * the host key injected by cloud-init, optionally a primary IPv4 address that outlives the server.
 */
export function hetznerMachine(inputs: HetznerInputs, ctx: MachineContext): Machine {
  const { name, parent } = ctx;
  const hcloud = hcloudSdk(`DockerHost "${name}": the hetzner source`);
  warnWorldOpen("hetzner", ctx.allowedCidrs, parent);
  const keys = generateSshKeys(name, "ED25519", parent);
  // Names are unique per Hetzner project: derived from project/stack/name, stable across runs.
  const serverName = hetznerName(name, `${pulumi.getProject()}/${pulumi.getStack()}/${name}`);
  const labels = pulumi.output(inputs.labels ?? {}).apply((own): Record<string, string> => ({
    "docker-host": labelValue(name),
    "managed-by": "pulumi",
    ...(own as Record<string, string>),
  }));
  // Fixed names: a replacement must delete the old resource first.
  const opts = { parent, deleteBeforeReplace: true };

  const login = new hcloud.SshKey(
    `${name}-login`,
    // Trimmed: Hetzner keeps the key without its line break, and the state must read back the same.
    {
      name: `${serverName}-login`,
      publicKey: keys.loginKey.publicKeyOpenssh.apply((k) => k.trim()),
      labels,
    },
    opts,
  );
  const cidrs = ctx.allowedCidrs;
  const firewall = new hcloud.Firewall(
    `${name}-firewall`,
    {
      name: `${serverName}-firewall`,
      labels,
      rules: pulumi.all([ctx.enginePort, inputs.allowIcmp]).apply(([port, icmp]) => [
        { direction: "in", protocol: "tcp", port: "22", sourceIps: cidrs, description: "SSH" },
        {
          direction: "in",
          protocol: "tcp",
          port: String(port),
          sourceIps: cidrs,
          description: "Docker Engine API (mutual TLS)",
        },
        ...(icmp
          ? [{ direction: "in", protocol: "icmp", sourceIps: cidrs, description: "ICMP" }]
          : []),
      ]),
    },
    { parent },
  );
  const staticIp = inputs.staticIp
    ? new hcloud.PrimaryIp(
        `${name}-static-ip`,
        {
          name: `${serverName}-ip`,
          type: "ipv4",
          location: inputs.location,
          assigneeType: "server",
          // It outlives the server: a replacement takes it over, and only deleting the DockerHost deletes it.
          autoDelete: false,
          labels,
        },
        opts,
      )
    : undefined;

  const server = new hcloud.Server(
    `${name}-vm`,
    {
      name: serverName,
      serverType: inputs.serverType,
      image: inputs.image,
      location: inputs.location,
      sshKeys: [login.id],
      firewallIds: [firewall.id.apply(Number)],
      // Other firewalls applied later (DockerSwarm's) are not the server's to remove on its next update.
      ignoreRemoteFirewallIds: true,
      publicNets: [
        {
          ipv4Enabled: inputs.ipv4,
          ...(staticIp ? { ipv4: staticIp.id.apply(Number) } : {}),
          ipv6Enabled: inputs.ipv6,
        },
      ],
      // aliasIps: [] keeps the provider from detaching and re-attaching the network on every update.
      networks:
        inputs.networkId !== undefined
          ? [{ networkId: inputs.networkId, aliasIps: [] }]
          : undefined,
      userData: userDataWithHostKey(keys.hostKey, inputs.userData),
      labels,
    },
    {
      ...opts,
      dependsOn: [firewall],
      // The build behind an image name moves on: keep the one the server was made from; changing the input
      // replaces the server on purpose (so do new user data, SSH keys and location: Hetzner fixes them).
      ignoreChanges: ["image"],
      replacementTrigger: inputs.image,
    },
  );

  const ipv6 = pulumi.all([inputs.ipv6, server.ipv6Address]).apply(([on, ip]) => (on ? ip : ""));
  const address = pulumi
    .all([inputs.ipv4, staticIp?.ipAddress ?? server.ipv4Address, ipv6])
    .apply(([four, v4, v6]) => {
      const ip = four ? v4 : v6;
      if (ip === "") {
        throw new Error(
          `DockerHost "${name}": Hetzner assigned no public address to ${serverName}`,
        );
      }
      return ip;
    });
  return cloudMachine({
    address,
    privateIp: server.networks.apply((n) => n?.[0]?.ip ?? ""),
    moreAddresses: [ipv6],
    user: "root",
    keys,
    dependsOn: [server, firewall, ...(staticIp ? [staticIp] : [])],
    // A server takes several firewalls: others apply their own to this server.
    firewall: { kind: FirewallKind.Hetzner, serverId: server.id },
  });
}
