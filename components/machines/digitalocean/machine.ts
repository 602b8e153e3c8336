import * as pulumi from "@pulumi/pulumi";
import { hostnameFor, identityDigest } from "../cidrs";
import { cloudMachine, generateSshKeys, userDataWithHostKey, warnWorldOpen } from "../cloud";
import { FirewallKind } from "../firewall";
import { Machine } from "../machine";
import { digitalOceanSdk } from "./sdk";
import { MachineContext } from "../source";
import { DigitalOceanInputs } from "./inputs";

/** Every port of a protocol, in DigitalOcean's notation. */
const ALL_PORTS = "1-65535";
const EVERYWHERE = ["0.0.0.0/0", "::/0"];

/**
 * The name of the tag that attaches the firewall: unique per DockerHost (`identity` = project/stack/name; tags are
 * account-wide, and a Droplet carrying another host's tag would get that host's rules too), stable across runs.
 */
export function firewallTagName(hostname: string, identity: string): string {
  const digest = identityDigest(identity, 10);
  return `docker-host-firewall:${hostname.slice(0, 200)}-${digest}`;
}

/**
 * A Droplet for DockerHost: Ubuntu 24.04 LTS (kept after the first deploy), a cloud firewall attached to it (by a
 * tag of its own, before the first boot) that admits `allowedCidrs` only on 22 and the engine port and lets
 * everything out (a DigitalOcean firewall blocks unlisted outbound traffic too), the host key injected by
 * cloud-init, optionally a reserved IP. Login as root.
 */
export function digitalOceanMachine(inputs: DigitalOceanInputs, ctx: MachineContext): Machine {
  const { name, parent } = ctx;
  const digitalocean = digitalOceanSdk(`DockerHost "${name}": the digitalocean source`);
  const hostname = hostnameFor(name);
  warnWorldOpen("digitalocean", ctx.allowedCidrs, parent);
  const keys = generateSshKeys(name, "ED25519", parent);

  const login = new digitalocean.SshKey(
    `${name}-login`,
    { publicKey: keys.loginKey.publicKeyOpenssh },
    { parent },
  );
  // The firewall applies to the Droplets carrying a tag of its own, so it protects the Droplet from its first boot.
  const firewallTag = new digitalocean.Tag(
    `${name}-firewall-tag`,
    { name: firewallTagName(hostname, `${pulumi.getProject()}/${pulumi.getStack()}/${name}`) },
    { parent },
  );
  const firewall = new digitalocean.Firewall(
    `${name}-firewall`,
    {
      tags: [firewallTag.name],
      inboundRules: [
        { protocol: "tcp", portRange: "22", sourceAddresses: ctx.allowedCidrs },
        {
          protocol: "tcp",
          portRange: ctx.enginePort.apply(String),
          sourceAddresses: ctx.allowedCidrs,
        },
      ],
      outboundRules: [
        { protocol: "tcp", portRange: ALL_PORTS, destinationAddresses: EVERYWHERE },
        { protocol: "udp", portRange: ALL_PORTS, destinationAddresses: EVERYWHERE },
        { protocol: "icmp", destinationAddresses: EVERYWHERE },
      ],
    },
    { parent },
  );
  const tags = pulumi
    .all([firewallTag.name, inputs.tags ?? []])
    .apply(([fw, own]) => [...new Set(["docker-host", `docker-host:${hostname}`, fw, ...own])]);
  const droplet = new digitalocean.Droplet(
    `${name}-vm`,
    {
      name: hostname,
      image: inputs.image,
      size: inputs.size,
      region: inputs.region,
      sshKeys: [login.fingerprint],
      ipv6: inputs.ipv6,
      monitoring: inputs.monitoring,
      vpcUuid: inputs.vpcUuid,
      tags,
      userData: userDataWithHostKey(keys.hostKey, inputs.userData),
    },
    {
      parent,
      dependsOn: [firewall],
      // The image behind a slug moves on and the Droplet then reads back as another image: keep the one it was
      // created from. Changing the `image` input still replaces the Droplet, on purpose.
      ignoreChanges: ["image"],
      replacementTrigger: inputs.image,
    },
  );
  const staticIp = inputs.staticIp
    ? new digitalocean.ReservedIp(
        `${name}-static-ip`,
        { region: inputs.region, dropletId: droplet.id.apply(Number) },
        { parent },
      )
    : undefined;

  return cloudMachine({
    address: staticIp?.ipAddress ?? droplet.ipv4Address,
    privateIp: droplet.ipv4AddressPrivate,
    moreAddresses: [
      pulumi.all([inputs.ipv6, droplet.ipv6Address]).apply(([on, ip]) => (on ? ip : "")),
    ],
    user: "root",
    keys,
    dependsOn: [droplet, firewall, ...(staticIp ? [staticIp] : [])],
    // A Droplet takes several cloud firewalls: others add their own firewall naming this Droplet.
    // Its tags as given (known in a preview, unlike the Droplet's): a swarm on a shared tag checks them.
    firewall: {
      kind: FirewallKind.DigitalOcean,
      dropletId: droplet.id,
      dropletTags: tags.apply((t) => t.join(",")),
    },
  });
}
