import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerHostArgs, FirewallKind } from "../../components";
import { hetznerName } from "../../components/machines/hetzner/names";
import {
  capturingWarnings,
  coreInventory,
  deploy,
  installCloudMocks,
  inventory,
} from "./helpers/cloud";
import { fakeKey, isSecretValue, registeredUrns, unwrapSecret, valueOf } from "./helpers/mocks";
import { CLOUD_IPS } from "./helpers/cloudMocks";

const CIDRS = ["198.51.100.0/24", "2001:db8::/32"];
const args = (
  hetzner: DockerHostArgs["hetzner"] = {},
  extra: Partial<DockerHostArgs> = {},
): DockerHostArgs => ({ hetzner, allowedCidrs: CIDRS, ...extra });
const nameOf = (name: string) => hetznerName(name, `project/stack/${name}`);
// The mocks' ids (helpers/cloudMocks.ts): Hetzner ids are numbers.
const SERVER_ID = 4343;
const FIREWALL_ID = 5151;

describe("hetzner machine source (mocks)", () => {
  before(installCloudMocks);

  it("creates an SSH key, a firewall and the server; all under the DockerHost", async () => {
    const d = await deploy("hzgraph", args());
    assert.deepEqual(
      inventory(d),
      [
        ...coreInventory("hzgraph"),
        "hcloud:index/firewall:Firewall hzgraph-firewall",
        "hcloud:index/server:Server hzgraph-vm",
        "hcloud:index/sshKey:SshKey hzgraph-login",
      ].sort(),
    );
    for (const urn of registeredUrns().filter((u) => /::hzgraph-/.test(u))) {
      assert.match(urn, /::docker-host:index:DockerHost\$/, urn);
    }
  });

  it("admits exactly allowedCidrs on 22 and the engine port; no outbound rule (Hetzner then lets all out)", async () => {
    const d = await deploy("hz-rules", args({}, { engine: { port: 2377 } }));
    const firewall = d.byName("firewall").inputs;
    assert.deepEqual(firewall.rules, [
      { direction: "in", protocol: "tcp", port: "22", sourceIps: CIDRS, description: "SSH" },
      {
        direction: "in",
        protocol: "tcp",
        port: "2377",
        sourceIps: CIDRS,
        description: "Docker Engine API (mutual TLS)",
      },
    ]);
    assert.equal(firewall.name, `${nameOf("hz-rules")}-firewall`);
    assert.equal(firewall.applyTos, undefined, "applied by the server itself, from its first boot");
    const icmp = await deploy("hz-icmp", args({ allowIcmp: true }));
    const rules = icmp.byName("firewall").inputs.rules as Record<string, unknown>[];
    assert.deepEqual(rules[2], {
      direction: "in",
      protocol: "icmp",
      sourceIps: CIDRS,
      description: "ICMP",
    });
  });

  it("applies the firewall from the first boot (firewallIds), keeping firewalls others apply", async () => {
    const d = await deploy("hz-fw", args());
    const vm = d.byName("vm").inputs;
    assert.deepEqual(vm.firewallIds, [FIREWALL_ID]);
    assert.equal(
      vm.ignoreRemoteFirewallIds,
      true,
      "a swarm's firewall is not removed on the next update",
    );
    assert.ok(d.options("vm").dependencies.includes(d.options("firewall").urn));
    assert.ok(d.options("wait").dependencies.includes(d.options("firewall").urn));
  });

  it("boots Ubuntu 24.04 cx23 in fsn1, root with the generated key, the host key in secret user data, pinned", async () => {
    const d = await deploy("hz-pin", args());
    const vm = d.byName("vm").inputs;
    assert.deepEqual(
      [vm.name, vm.image, vm.serverType, vm.location, vm.sshKeys, vm.networks],
      [nameOf("hz-pin"), "ubuntu-24.04", "cx23", "fsn1", ["7171"], undefined],
    );
    assert.deepEqual(vm.publicNets, [{ ipv4Enabled: true, ipv6Enabled: true }]);
    assert.deepEqual(d.byName("login").inputs, {
      name: `${nameOf("hz-pin")}-login`,
      publicKey: "ssh-ed25519 AAAAPUBLIChz-pin-ssh-login-key",
      labels: { "docker-host": "hz-pin", "managed-by": "pulumi" },
    });
    assert.ok(isSecretValue(vm.userData));
    const userData = String(unwrapSecret(vm.userData));
    assert.ok(userData.includes("SECRET-BODY-hz-pin-ssh-host-key-openssh"));
    assert.ok(userData.includes('ed25519_public: "ssh-ed25519 AAAAPUBLIChz-pin-ssh-host-key"'));
    const c = d.connection();
    assert.deepEqual(
      [c.host, c.user, c.hostKey, c.dialErrorLimit, c.privateKey],
      [
        CLOUD_IPS.hetznerPublic,
        "root",
        "ssh-ed25519 AAAAPUBLIChz-pin-ssh-host-key",
        32,
        fakeKey("hz-pin-ssh-login-key-openssh"),
      ],
    );
  });

  it("keeps the image after the first deploy; changing the image input replaces the server on purpose", async () => {
    const d = await deploy("hz-img", args());
    const o = d.options("vm");
    assert.deepEqual(o.ignoreChanges, ["image"]);
    assert.equal(o.replacementTrigger, "ubuntu-24.04");
    assert.equal(o.deleteBeforeReplace, true, "a fixed name: the old server goes first");
    const own = await deploy(
      "hz-img2",
      args({ image: "debian-12", location: "hel1", serverType: "cax11" }),
    );
    const vm = own.byName("vm").inputs;
    assert.deepEqual([vm.image, vm.location, vm.serverType], ["debian-12", "hel1", "cax11"]);
    assert.equal(own.options("vm").replacementTrigger, "debian-12");
  });

  it("with staticIp: a primary IPv4 that outlives the server is the address and a SAN", async () => {
    const d = await deploy("hz-ip", args({ staticIp: true, location: "nbg1" }));
    const ip = d.byName("static-ip").inputs;
    assert.deepEqual(
      [ip.name, ip.type, ip.location, ip.assigneeType, ip.autoDelete],
      [`${nameOf("hz-ip")}-ip`, "ipv4", "nbg1", "server", false],
    );
    assert.deepEqual(d.byName("vm").inputs.publicNets, [
      { ipv4Enabled: true, ipv4: 6161, ipv6Enabled: true },
    ]);
    assert.equal(d.options("static-ip").deleteBeforeReplace, true);
    assert.equal(await valueOf(d.host.address), CLOUD_IPS.hetznerPrimary);
    assert.equal(await valueOf(d.host.dockerHost), `tcp://${CLOUD_IPS.hetznerPrimary}:2376`);
    assert.deepEqual(
      d.byName("server-csr").inputs.ipAddresses,
      ["127.0.0.1", CLOUD_IPS.hetznerPrimary, CLOUD_IPS.hetznerIpv6].sort(),
    );
    assert.ok(d.options("wait").dependencies.includes(d.options("static-ip").urn));
  });

  it("IPv6: a SAN by default; an IPv6-only server is reached on it, bracketed in DOCKER_HOST", async () => {
    const d = await deploy("hz-v6", args());
    assert.deepEqual(
      d.byName("server-csr").inputs.ipAddresses,
      ["127.0.0.1", CLOUD_IPS.hetznerPublic, CLOUD_IPS.hetznerIpv6].sort(),
    );
    const only = await deploy("hz-v6only", args({ ipv4: false }));
    assert.deepEqual(only.byName("vm").inputs.publicNets, [
      { ipv4Enabled: false, ipv6Enabled: true },
    ]);
    assert.equal(await valueOf(only.host.address), CLOUD_IPS.hetznerIpv6);
    assert.equal(await valueOf(only.host.dockerHost), `tcp://[${CLOUD_IPS.hetznerIpv6}]:2376`);
    assert.equal(only.connection().host, CLOUD_IPS.hetznerIpv6);
    const v4 = await deploy("hz-v4only", args({ ipv6: false }));
    assert.deepEqual(v4.byName("server-csr").inputs.ipAddresses, [
      "127.0.0.1",
      CLOUD_IPS.hetznerPublic,
    ]);
  });

  it("attaches to a given network, whose address is privateIp; without one privateIp is empty", async () => {
    const d = await deploy("hz-net", args({ networkId: 1234 }));
    assert.deepEqual(d.byName("vm").inputs.networks, [{ networkId: 1234, aliasIps: [] }]);
    assert.equal(await valueOf(d.host.privateIp), CLOUD_IPS.hetznerPrivate);
    assert.ok(
      (d.byName("server-csr").inputs.ipAddresses as string[]).includes(CLOUD_IPS.hetznerPrivate),
    );
    const none = await deploy("hz-nonet", args());
    assert.equal(await valueOf(none.host.privateIp), "");
    assert.ok(!none.mine.some((r) => /network/i.test(r.type)), "no network is created");
  });

  it("outputs the IPs, root, and the firewall: kind hetzner with the server's ID", async () => {
    const d = await deploy("hz-out", args());
    assert.equal(await valueOf(d.host.publicIp), CLOUD_IPS.hetznerPublic);
    assert.equal(await valueOf(d.host.sshUser), "root");
    assert.equal(await pulumi.isSecret(d.host.sshPrivateKey), true);
    assert.equal(d.host.firewall.kind, FirewallKind.Hetzner);
    assert.equal(await valueOf(d.host.firewall.serverId), String(SERVER_ID));
    assert.equal(await valueOf(d.host.firewall.targetTag), "");
  });

  it("labels every Hetzner resource with DockerHost's labels and the user's; names are host names", async () => {
    const d = await deploy("Hz_Labels.Prod", args({ labels: { team: "web" }, staticIp: true }));
    for (const r of d.mine.filter((x) => x.type.startsWith("hcloud:"))) {
      assert.deepEqual(
        r.inputs.labels,
        { "docker-host": "Hz_Labels.Prod", "managed-by": "pulumi", team: "web" },
        `${r.type} ${r.name} is labelled`,
      );
    }
    assert.match(String(d.byName("vm").inputs.name), /^hz-labels-prod-[0-9a-f]{8}$/);
  });

  it("merges the user's user data after its own, as MIME multi-part", async () => {
    const d = await deploy("hz-ud", args({ userData: "#!/bin/sh\necho hi\n" }));
    const userData = String(unwrapSecret(d.byName("vm").inputs.userData));
    assert.match(userData, /^Content-Type: multipart\/mixed; boundary="==docker-host-user-data=="/);
    assert.ok(userData.indexOf("docker-host.cfg") < userData.indexOf("echo hi"));
  });

  it("warns about a world-open range", async () => {
    const warnings = await capturingWarnings(() =>
      deploy("hz-world", args({}, { allowedCidrs: ["::/0"] })),
    );
    assert.ok(
      warnings.some((w) => w.includes("allowedCidrs includes ::/0") && w.includes("hetzner")),
      warnings.join("\n"),
    );
  });
});
