import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerHostArgs, FirewallKind } from "../../components";
import { gceName } from "../../components/machines/gcp/names";
import {
  capturingWarnings,
  coreInventory,
  deploy,
  installCloudMocks,
  inventory,
} from "./helpers/cloud";
import { fakeKey, isSecretValue, registeredUrns, unwrapSecret, valueOf } from "./helpers/mocks";
import { CLOUD_IPS, GCP_PROJECT, gcpNetworkLink, invoked } from "./helpers/cloudMocks";

const CIDRS = ["198.51.100.0/24", "203.0.113.7/32", "2001:db8::/32"];
const args = (
  gcp: DockerHostArgs["gcp"] = {},
  extra: Partial<DockerHostArgs> = {},
): DockerHostArgs => ({ gcp, allowedCidrs: CIDRS, ...extra });
const FIREWALL = "gcp:compute/firewall:Firewall";
const tagOf = (name: string) => gceName(name, `project/stack/${name}`);

describe("gcp machine source (mocks)", () => {
  before(installCloudMocks);

  it("creates firewall rules per family (allow, then deny) and the instance; all under the DockerHost", async () => {
    const d = await deploy("gcegraph", args());
    assert.deepEqual(
      inventory(d),
      [
        ...coreInventory("gcegraph"),
        `${FIREWALL} gcegraph-allow-ipv4`,
        `${FIREWALL} gcegraph-allow-ipv6`,
        `${FIREWALL} gcegraph-deny-ipv4`,
        `${FIREWALL} gcegraph-deny-ipv6`,
        "gcp:compute/instance:Instance gcegraph-vm",
        "command:remote:Command gcegraph-start",
      ].sort(),
    );
    for (const urn of registeredUrns().filter((u) => /::gcegraph-/.test(u))) {
      assert.match(urn, /::docker-host:index:DockerHost\$/, urn);
    }
  });

  it("admits exactly allowedCidrs on 22 and the engine port, denies everyone else there; only on its own tag", async () => {
    const d = await deploy("gce-rules", args({}, { engine: { port: 2377 } }));
    const tag = tagOf("gce-rules");
    const rule = (role: string) => {
      const r = d.byName(role).inputs;
      return [r.name, r.direction, r.priority, r.network, r.targetTags, r.sourceRanges];
    };
    assert.deepEqual(rule("allow-ipv4"), [
      `${tag}-allow-ipv4`,
      "INGRESS",
      1000,
      "default",
      [tag],
      ["198.51.100.0/24", "203.0.113.7/32"],
    ]);
    assert.deepEqual(rule("allow-ipv6"), [
      `${tag}-allow-ipv6`,
      "INGRESS",
      1000,
      "default",
      [tag],
      ["2001:db8::/32"],
    ]);
    assert.deepEqual(rule("deny-ipv4").slice(1), [
      "INGRESS",
      1001,
      "default",
      [tag],
      ["0.0.0.0/0"],
    ]);
    assert.deepEqual(rule("deny-ipv6").slice(1), ["INGRESS", 1001, "default", [tag], ["::/0"]]);
    for (const family of ["ipv4", "ipv6"]) {
      const allow = d.byName(`allow-${family}`).inputs;
      assert.deepEqual(allow.allows, [{ protocol: "tcp", ports: ["22", "2377"] }]);
      assert.equal(allow.denies, undefined);
      const deny = d.byName(`deny-${family}`).inputs;
      assert.deepEqual(deny.denies, [{ protocol: "tcp", ports: ["22", "2377"] }]);
      assert.equal(deny.allows, undefined, "the world-wide rules only deny");
    }
    for (const r of d.ofType(FIREWALL)) {
      assert.notEqual(r.inputs.direction, "EGRESS", "GCE's implied egress rule lets installs out");
      assert.deepEqual(r.inputs.targetTags, [tag], `${r.name} is bound to this instance alone`);
    }
    const v4only = await deploy("gce-v4", args({}, { allowedCidrs: ["198.51.100.0/24"] }));
    assert.deepEqual(
      v4only
        .ofType(FIREWALL)
        .map((r) => r.name)
        .sort(),
      ["gce-v4-allow-ipv4", "gce-v4-deny-ipv4", "gce-v4-deny-ipv6"],
      "a family without a range gets no allow rule (a rule holds one family), but its deny rule",
    );
  });

  it("tags the instance with a tag unique to the host, its rules existing before the first boot", async () => {
    const d = await deploy("gce-tag", args({ networkTags: ["web", "http-server"] }));
    const tag = tagOf("gce-tag");
    assert.match(tag, /^gce-tag-[0-9a-f]{8}$/);
    assert.notEqual(gceName("gce-tag", "project/prod/gce-tag"), tag, "another stack, another tag");
    assert.deepEqual(d.byName("vm").inputs.tags, [tag, "web", "http-server"]);
    assert.equal(d.byName("vm").inputs.name, tag);
    const vm = d.options("vm").dependencies;
    const wait = d.options("wait").dependencies;
    for (const role of ["allow-ipv4", "allow-ipv6", "deny-ipv4", "deny-ipv6"]) {
      assert.ok(vm.includes(d.options(role).urn), `the instance waits for ${role}`);
      assert.ok(wait.includes(d.options(role).urn), `the wait step waits for ${role}`);
    }
    // GCE's names: lowercase, a letter first, at most 63, whatever the DockerHost is called.
    const odd = await deploy("Gce_Odd.Name-0123456789012345678901234567890123456789", args());
    const names = odd.ofType(FIREWALL).map((r) => String(r.inputs.name));
    for (const n of [String(odd.byName("vm").inputs.name), ...names]) {
      assert.match(n, /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, n);
    }
  });

  it("boots a Shielded VM with no service account, the login key in ssh-keys only, the host key in secret user-data", async () => {
    const d = await deploy("gce-pin", args());
    const vm = d.byName("vm").inputs;
    assert.deepEqual(vm.shieldedInstanceConfig, {
      enableSecureBoot: true,
      enableVtpm: true,
      enableIntegrityMonitoring: true,
    });
    assert.equal(vm.serviceAccount, undefined, "no service account, so no scopes");
    assert.ok(isSecretValue(vm.metadata), "the metadata holds the host's private key: secret");
    const metadata = unwrapSecret(vm.metadata) as Record<string, string>;
    assert.deepEqual(Object.keys(metadata).sort(), [
      "block-project-ssh-keys",
      "enable-oslogin",
      "ssh-keys",
      "user-data",
    ]);
    assert.equal(
      metadata["ssh-keys"],
      "dockerhost:ssh-ed25519 AAAAPUBLICgce-pin-ssh-login-key dockerhost",
    );
    assert.equal(metadata["block-project-ssh-keys"], "TRUE");
    assert.equal(metadata["enable-oslogin"], "FALSE");
    const userData = metadata["user-data"] ?? "";
    assert.match(userData, /^#cloud-config\n/);
    assert.ok(userData.includes("SECRET-BODY-gce-pin-ssh-host-key-openssh"));
    assert.ok(userData.includes('ed25519_public: "ssh-ed25519 AAAAPUBLICgce-pin-ssh-host-key"'));
    assert.equal(d.byName("ssh-login-key").inputs.algorithm, "ED25519");
    const c = d.connection();
    assert.deepEqual(
      [c.host, c.user, c.hostKey, c.dialErrorLimit, c.privateKey],
      [
        CLOUD_IPS.gcpPublic,
        "dockerhost",
        "ssh-ed25519 AAAAPUBLICgce-pin-ssh-host-key",
        32,
        fakeKey("gce-pin-ssh-login-key-openssh"),
      ],
    );
  });

  it("defaults: e2-small in us-central1-a, Ubuntu 24.04 family kept after the first deploy, 20 GB pd-balanced", async () => {
    const d = await deploy("gce-img", args());
    const vm = d.byName("vm").inputs;
    assert.deepEqual(
      [vm.machineType, vm.zone, vm.project, vm.allowStoppingForUpdate],
      ["e2-small", "us-central1-a", undefined, true],
    );
    assert.deepEqual(vm.bootDisk, {
      autoDelete: true,
      initializeParams: {
        image: "ubuntu-os-cloud/ubuntu-2404-lts-amd64",
        size: 20,
        type: "pd-balanced",
        labels: { "docker-host": "gce-img", "managed-by": "pulumi" },
      },
    });
    assert.deepEqual(vm.networkInterfaces, [
      { network: "default", accessConfigs: [{ networkTier: "PREMIUM" }] },
    ]);
    const o = d.options("vm");
    assert.deepEqual(o.ignoreChanges, ["bootDisk.initializeParams.image"]);
    assert.equal(o.replacementTrigger, "ubuntu-os-cloud/ubuntu-2404-lts-amd64");
    assert.deepEqual(o.replaceOnChanges, ['metadata["user-data"]'], "new user data, new instance");
    assert.equal(o.deleteBeforeReplace, true, "a fixed name: the old instance goes first");
    const own = await deploy(
      "gce-img2",
      args({
        project: "my-project-123",
        zone: "europe-west1-b",
        machineType: "n2-standard-2",
        image: "ubuntu-os-cloud/ubuntu-2204-lts",
        diskSizeGb: 64,
        diskType: "pd-ssd",
      }),
    );
    const vm2 = own.byName("vm").inputs;
    const disk = (vm2.bootDisk as { initializeParams: Record<string, unknown> }).initializeParams;
    assert.deepEqual(
      [vm2.project, vm2.zone, vm2.machineType, disk.image, disk.size, disk.type],
      [
        "my-project-123",
        "europe-west1-b",
        "n2-standard-2",
        "ubuntu-os-cloud/ubuntu-2204-lts",
        64,
        "pd-ssd",
      ],
    );
    assert.equal(own.options("vm").replacementTrigger, "ubuntu-os-cloud/ubuntu-2204-lts");
    for (const r of own.ofType(FIREWALL)) assert.equal(r.inputs.project, "my-project-123");
  });

  it("attaches a given service account only, with the cloud-platform scope unless scopes are given", async () => {
    const email = "docker@my-project-123.iam.gserviceaccount.com";
    const d = await deploy("gce-sa", args({ serviceAccountEmail: email }));
    assert.deepEqual(d.byName("vm").inputs.serviceAccount, { email, scopes: ["cloud-platform"] });
    const scoped = await deploy(
      "gce-sa2",
      args({ serviceAccountEmail: email, serviceAccountScopes: ["logging-write"] }),
    );
    assert.deepEqual(scoped.byName("vm").inputs.serviceAccount, {
      email,
      scopes: ["logging-write"],
    });
  });

  it("with staticIp: a regional static address in the zone's region is the address and a SAN", async () => {
    const d = await deploy("gce-ip", args({ staticIp: true, zone: "europe-west4-a" }));
    const ip = d.byName("static-ip").inputs;
    assert.deepEqual(
      [ip.name, ip.region, ip.addressType, ip.networkTier],
      [`${tagOf("gce-ip")}-ip`, "europe-west4", "EXTERNAL", "PREMIUM"],
    );
    const nic = (d.byName("vm").inputs.networkInterfaces as Record<string, unknown>[])[0];
    assert.deepEqual(nic?.accessConfigs, [{ natIp: CLOUD_IPS.gcpStatic, networkTier: "PREMIUM" }]);
    assert.equal(await valueOf(d.host.address), CLOUD_IPS.gcpStatic);
    assert.equal(await valueOf(d.host.publicIp), CLOUD_IPS.gcpStatic);
    assert.equal(await valueOf(d.host.dockerHost), `tcp://${CLOUD_IPS.gcpStatic}:2376`);
    assert.deepEqual(
      d.byName("server-csr").inputs.ipAddresses,
      ["127.0.0.1", CLOUD_IPS.gcpPrivate, CLOUD_IPS.gcpStatic].sort(),
    );
    assert.ok(d.options("wait").dependencies.includes(d.options("static-ip").urn));
  });

  it("uses a given network, or reads a given subnetwork's (never changing either)", async () => {
    const net = await deploy("gce-net", args({ network: "prod" }));
    for (const r of net.ofType(FIREWALL)) assert.equal(r.inputs.network, "prod");
    const sub = await deploy("gce-sub", args({ subnetwork: "prod-eu", zone: "europe-west1-b" }));
    const lookup = invoked.find(
      (i) => i.token === "gcp:compute/getSubnetwork:getSubnetwork" && i.inputs.name === "prod-eu",
    );
    assert.equal(lookup?.inputs.region, "europe-west1");
    const link = gcpNetworkLink(GCP_PROJECT, "custom-net");
    for (const r of sub.ofType(FIREWALL)) assert.equal(r.inputs.network, link);
    const nic = (sub.byName("vm").inputs.networkInterfaces as Record<string, unknown>[])[0];
    assert.deepEqual(nic, { subnetwork: "prod-eu", accessConfigs: [{ networkTier: "PREMIUM" }] });
    assert.deepEqual([...new Set(sub.mine.map((r) => r.type.split(":")[0]))].sort(), [
      "command",
      "docker-host",
      "gcp",
      "tls",
    ]);
    assert.ok(
      !sub.mine.some((r) => /Network|Subnetwork/.test(r.type)),
      "nothing of the network is created",
    );
  });

  it("outputs the IPs, the login user, and the firewall: kind gcp, project, network, the host's tag", async () => {
    const d = await deploy("gce-out", args());
    assert.equal(await valueOf(d.host.publicIp), CLOUD_IPS.gcpPublic);
    assert.equal(await valueOf(d.host.privateIp), CLOUD_IPS.gcpPrivate);
    assert.equal(await valueOf(d.host.dockerHost), `tcp://${CLOUD_IPS.gcpPublic}:2376`);
    assert.equal(await valueOf(d.host.sshUser), "dockerhost");
    assert.equal(await pulumi.isSecret(d.host.sshPrivateKey), true);
    const fw = d.host.firewall;
    assert.equal(fw.kind, FirewallKind.Gcp);
    assert.deepEqual(
      await Promise.all([fw.project, fw.network, fw.targetTag, fw.serverId].map(valueOf)),
      [GCP_PROJECT, gcpNetworkLink(GCP_PROJECT, "default"), tagOf("gce-out"), ""],
    );
  });

  it("labels the instance and its disk with DockerHost's labels and the user's", async () => {
    const d = await deploy("Gce-Labels", args({ labels: { team: "web" }, staticIp: true }));
    const labels = { "docker-host": "gce-labels", "managed-by": "pulumi", team: "web" };
    assert.deepEqual(d.byName("vm").inputs.labels, labels);
    assert.deepEqual(d.byName("static-ip").inputs.labels, labels);
    const disk = (d.byName("vm").inputs.bootDisk as { initializeParams: Record<string, unknown> })
      .initializeParams;
    assert.deepEqual(disk.labels, labels);
  });

  it("merges the user's user data after its own, as MIME multi-part", async () => {
    const d = await deploy("gce-ud", args({ userData: "#cloud-config\npackages: [jq]\n" }));
    const metadata = unwrapSecret(d.byName("vm").inputs.metadata) as Record<string, string>;
    const userData = metadata["user-data"] ?? "";
    assert.match(userData, /^Content-Type: multipart\/mixed; boundary="==docker-host-user-data=="/);
    assert.ok(userData.indexOf("docker-host.cfg") < userData.indexOf("packages: [jq]"));
  });

  it("warns about a world-open range", async () => {
    const warnings = await capturingWarnings(() =>
      deploy("gce-world", args({}, { allowedCidrs: ["0.0.0.0/0"] })),
    );
    assert.ok(
      warnings.some((w) => w.includes("allowedCidrs includes 0.0.0.0/0") && w.includes("gcp")),
      warnings.join("\n"),
    );
  });
});
