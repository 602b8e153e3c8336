import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { DockerHost, DockerHostArgs } from "../../components";
import { addressRoles, cidrName, hostnameFor } from "../../components/machines/cidrs";
import {
  checkUserData,
  mergeUserData,
  renderCloudConfig,
} from "../../components/machines/cloudInit";
import { CLOUD_SOURCE_NAMES } from "../../components/machines/registry";
import { canonicalCidr, checkAllowedCidrs } from "../../components/validate";
import { deploymentError, installCloudMocks } from "./helpers/cloud";
import { registeredUnder, settle } from "./helpers/mocks";

const CIDRS = ["198.51.100.0/24"];
const unsafe = (value: unknown) => value as never; // what a YAML or Python caller can send
const KEY_CONFIG = "#cloud-config\nssh_keys:\n  ed25519_private: |\n    x\n";

/** [case, args, the exact message after `DockerHost "<name>": `] */
const cases: [string, DockerHostArgs, string][] = [
  [
    "missing allowedCidrs",
    { aws: {} },
    'allowedCidrs is required with aws: the CIDR ranges allowed to reach SSH and the engine port, e.g. ["198.51.100.0/24"] (["0.0.0.0/0", "::/0"] opens them to the world)',
  ],
  [
    "empty allowedCidrs",
    { digitalocean: {}, allowedCidrs: [] },
    'allowedCidrs must be a non-empty list of CIDR ranges known when the program runs, e.g. ["198.51.100.0/24"], got []',
  ],
  [
    "allowedCidrs from an Output",
    { azure: {}, allowedCidrs: unsafe(pulumi.output(CIDRS)) },
    "allowedCidrs must be known when the program runs (each range becomes a named firewall rule), got an Output: pass a list of strings, e.g. from stack configuration",
  ],
  ...[
    "198.51.100.0/33",
    "198.51.100.0",
    "10.0.0/8",
    "example.com/24",
    "2001:db8::/129",
    "fe80::1%eth0/64",
  ].map((cidr): [string, DockerHostArgs, string] => [
    `malformed CIDR ${cidr}`,
    { aws: {}, allowedCidrs: [cidr] },
    `allowedCidrs entries must be CIDR ranges such as "198.51.100.0/24", "203.0.113.7/32" or "2001:db8::/32", got "${cidr}"`,
  ]),
  [
    "CIDR with host bits",
    { aws: {}, allowedCidrs: ["198.51.100.7/24"] },
    'allowedCidrs entry "198.51.100.7/24" has host bits set: use "198.51.100.0/24" for the range, or "198.51.100.7/32" for that address alone',
  ],
  [
    "the same range twice",
    { aws: {}, allowedCidrs: ["2001:db8::/32", "2001:0DB8::/32"] },
    'allowedCidrs lists "2001:db8::/32" twice',
  ],
  [
    "aws and azure",
    { aws: {}, azure: {}, allowedCidrs: CIDRS },
    "exactly one machine source is required: set one of existing, aws, digitalocean, azure (got aws and azure)",
  ],
  [
    "AWS region in capitals",
    { aws: { region: "US-EAST-1" }, allowedCidrs: CIDRS },
    'aws.region must be a region name such as "us-east-1", got "US-EAST-1"',
  ],
  [
    "AWS zone for a region",
    { aws: { region: "us-east-1a" }, allowedCidrs: CIDRS },
    'aws.region must be a region name such as "us-east-1", got "us-east-1a"',
  ],
  [
    "DigitalOcean region",
    { digitalocean: { region: "new-york" }, allowedCidrs: CIDRS },
    'digitalocean.region must be a region slug such as "nyc3" or "ams3", got "new-york"',
  ],
  [
    "Azure display name for a location",
    { azure: { location: "West Europe" }, allowedCidrs: CIDRS },
    'azure.location must be a location name such as "westeurope" (lowercase, no spaces), got "West Europe"',
  ],
  [
    "AWS instance type",
    { aws: { instanceType: "t3small" }, allowedCidrs: CIDRS },
    'aws.instanceType must be an instance type such as "t3.small", got "t3small"',
  ],
  [
    "AWS root volume too small",
    { aws: { rootVolumeSizeGb: 4 }, allowedCidrs: CIDRS },
    "aws.rootVolumeSizeGb must be a whole number from 8 to 16384, got 4",
  ],
  [
    "AWS ami",
    { aws: { ami: "ubuntu" }, allowedCidrs: CIDRS },
    'aws.ami must be an AMI id such as "ami-0abcdef1234567890", got "ubuntu"',
  ],
  [
    "AWS tag in the aws: namespace",
    { aws: { tags: { "aws:owner": "me" } }, allowedCidrs: CIDRS },
    'aws.tags key "aws:owner" is invalid: up to 128 letters, digits, spaces and _.:/=+-@, not aws:',
  ],
  [
    "DigitalOcean tag with a space",
    { digitalocean: { tags: ["my tag"] }, allowedCidrs: CIDRS },
    `digitalocean.tags must be a list of tags made of letters, digits, ':', '-' and '_' (at most 255), got ["my tag"]`,
  ],
  [
    "DigitalOcean VPC not a UUID",
    { digitalocean: { vpcUuid: "default" }, allowedCidrs: CIDRS },
    'digitalocean.vpcUuid must be a VPC UUID, got "default"',
  ],
  [
    "Azure admin user root",
    { azure: { adminUsername: "root" }, allowedCidrs: CIDRS },
    'azure.adminUsername must not be one of the names Azure reserves (root, admin, administrator, user, test...), got "root"',
  ],
  [
    "Azure image not a URN",
    { azure: { image: "ubuntu" }, allowedCidrs: CIDRS },
    'azure.image must be an image "publisher:offer:sku:version" such as "Canonical:ubuntu-24_04-lts:server:latest", got "ubuntu"',
  ],
  [
    "staticIp as text",
    { aws: { staticIp: unsafe("yes") }, allowedCidrs: CIDRS },
    'aws.staticIp must be true or false, got "yes"',
  ],
  [
    "engine port 22 on a cloud machine",
    { digitalocean: {}, allowedCidrs: CIDRS, engine: { port: 22 } },
    "engine.port must differ from the SSH port 22, got 22 (the usual engine port is 2376)",
  ],
  [
    "userData that sets the host keys",
    { aws: { userData: KEY_CONFIG }, allowedCidrs: CIDRS },
    "aws.userData must not set ssh_keys, ssh_deletekeys, ssh_genkeytypes (found ssh_keys): DockerHost installs the SSH host key it pins in every connection",
  ],
  [
    "userData that keeps the image's host keys",
    { digitalocean: { userData: "#cloud-config\nssh_deletekeys: false\n" }, allowedCidrs: CIDRS },
    "digitalocean.userData must not set ssh_keys, ssh_deletekeys, ssh_genkeytypes (found ssh_deletekeys): DockerHost installs the SSH host key it pins in every connection",
  ],
  [
    "customData in base64",
    {
      azure: { customData: Buffer.from("#cloud-config\n").toString("base64") },
      allowedCidrs: CIDRS,
    },
    "azure.customData must be plain-text cloud-init user data starting with #cloud-config, #! (a script), #cloud-boothook or #include (not base64, not gzip)",
  ],
  [
    "userData already MIME multi-part",
    {
      aws: { userData: 'Content-Type: multipart/mixed; boundary="x"\nMIME-Version: 1.0\n\n--x\n' },
      allowedCidrs: CIDRS,
    },
    "aws.userData is a MIME multi-part document, which DockerHost cannot merge with its own: pass its parts' content as one #cloud-config or script",
  ],
  [
    "userData carrying the merged document's MIME boundary",
    { aws: { userData: "#!/bin/sh\necho '--==docker-host-user-data=='\n" }, allowedCidrs: CIDRS },
    "aws.userData must not contain the text ==docker-host-user-data==",
  ],
  [
    "customData carrying the merged document's MIME boundary",
    {
      azure: { customData: "#cloud-config\nbootcmd: [echo ==docker-host-user-data==]\n" },
      allowedCidrs: CIDRS,
    },
    "azure.customData must not contain the text ==docker-host-user-data==",
  ],
];

describe("cloud inputs are rejected before any resource is registered", () => {
  before(installCloudMocks);

  cases.forEach(([label, args, message], i) => {
    it(label, async () => {
      const name = `cloudbad${i}`;
      assert.throws(() => new DockerHost(name, args), {
        message: `DockerHost "${name}": ${message}`,
      });
      await settle();
      assert.deepEqual(registeredUnder(name).mine, []);
    });
  });

  it("fails the deployment with the same message when user data only known later breaks the merge", async () => {
    const host = new DockerHost("cloudlater", {
      azure: { customData: pulumi.output(KEY_CONFIG) },
      allowedCidrs: CIDRS,
    });
    const error = await deploymentError(host);
    assert.ok(
      error.message.endsWith(
        'DockerHost "cloudlater": azure.customData must not set ssh_keys, ssh_deletekeys, ssh_genkeytypes (found ssh_keys): DockerHost installs the SSH host key it pins in every connection',
      ),
      error.message,
    );
  });
});

describe("cloud-init user data (pure)", () => {
  const hostKey = {
    privateKeyOpenssh:
      "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\nBBBB\n-----END OPENSSH PRIVATE KEY-----\n",
    publicKeyOpenssh: "ssh-ed25519 AAAAC3Nza host\n",
  };

  it("installs the given host key, deletes the image's and generates no other", () => {
    assert.equal(
      renderCloudConfig(hostKey),
      [
        "#cloud-config",
        "# DockerHost: the SSH host key, generated by Pulumi and pinned in every remote command.",
        "ssh_deletekeys: true",
        "ssh_genkeytypes: []",
        "ssh_keys:",
        "  ed25519_private: |",
        "    -----BEGIN OPENSSH PRIVATE KEY-----",
        "    AAAA",
        "    BBBB",
        "    -----END OPENSSH PRIVATE KEY-----",
        '  ed25519_public: "ssh-ed25519 AAAAC3Nza host"',
        "",
      ].join("\n"),
    );
  });

  it("stays a single cloud-config without user data; merges any supported part as MIME, content intact", () => {
    const ours = renderCloudConfig(hostKey);
    assert.equal(mergeUserData(ours, undefined), ours);
    assert.equal(mergeUserData(ours, ""), ours);
    const parts: [string, string][] = [
      ["#!/bin/sh\necho hi\n", "text/x-shellscript"],
      ["#cloud-config\npackages: [jq]\n", "text/cloud-config"],
      ["#cloud-boothook\n#!/bin/sh\ntrue", "text/cloud-boothook"],
      ["#include\nhttps://example.com/x\n", "text/x-include-url"],
    ];
    for (const [user, type] of parts) {
      checkUserData("u", user);
      const merged = mergeUserData(ours, user);
      const sections = merged.split("\n--==docker-host-user-data==");
      assert.equal(sections.length, 4, "preamble, two parts, closing boundary");
      const [, first = "", second = "", last = ""] = sections;
      assert.ok(first.includes('Content-Type: text/cloud-config; charset="utf-8"'));
      assert.ok(
        first.endsWith(`\n\n${ours.replace(/\n$/, "")}\n`) || first.endsWith(`\n\n${ours}`),
      );
      assert.ok(second.includes(`Content-Type: ${type}; charset="utf-8"`), type);
      assert.ok(second.endsWith(`\n\n${user}`), `${type} content is kept as given`);
      assert.equal(last, "--\n");
    }
  });

  it("base64-encodes parts that are not ASCII", () => {
    const merged = mergeUserData("#cloud-config\n", "#!/bin/sh\necho 'héllo'\n");
    assert.ok(merged.includes("Content-Transfer-Encoding: base64"));
    assert.ok(merged.includes(Buffer.from("#!/bin/sh\necho 'héllo'\n").toString("base64")));
  });

  it("accepts cloud-configs that leave the host keys alone, even mentioning them in a script", () => {
    checkUserData("u", "#cloud-config\nssh_authorized_keys:\n  - ssh-ed25519 AAAA me\n");
    checkUserData("u", "#!/bin/sh\necho ssh_keys: none\n");
    assert.throws(() => {
      checkUserData("u", '#cloud-config\n{"ssh_genkeytypes": ["rsa"]}\n');
    }, /found ssh_genkeytypes/);
    assert.throws(() => {
      checkUserData("u", "\x1f\x8b\x08\x00gzip");
    }, /not base64, not gzip/);
  });
});

describe("CIDR ranges and addresses (generative)", () => {
  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join("."));

  it("a network address with its prefix passes unchanged; the same with host bits fails", () => {
    fc.assert(
      fc.property(ipv4, fc.integer({ min: 0, max: 32 }), (address, bits) => {
        const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
        const value = address.split(".").reduce((n, o) => n * 256 + Number(o), 0);
        const network = [24, 16, 8, 0].map((s) => ((value & mask) >>> s) & 255).join(".");
        assert.equal(canonicalCidr(`${network}/${bits}`), `${network}/${bits}`);
        if (network !== address) {
          assert.throws(() => canonicalCidr(`${address}/${bits}`), /has host bits set/);
        }
      }),
    );
  });

  it("writes IPv6 ranges in canonical form and names rules without ':' or '/'", () => {
    assert.equal(canonicalCidr("2001:0DB8:0000::/32"), "2001:db8::/32");
    assert.equal(canonicalCidr("::/0"), "::/0");
    assert.deepEqual(checkAllowedCidrs("aws", CLOUD_SOURCE_NAMES, [" 0.0.0.0/0 ", "::/0"]), [
      "0.0.0.0/0",
      "::/0",
    ]);
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        const name = cidrName(canonicalCidr(`${address}/128`));
        assert.match(name, /^[0-9a-f.-]+$/);
      }),
    );
  });

  it("derives host names and the public/private roles of an existing host's address", () => {
    assert.equal(hostnameFor("Web_01.prod"), "web-01-prod");
    assert.equal(hostnameFor("---"), "docker-host");
    assert.deepEqual(addressRoles("203.0.113.10"), { publicIp: "203.0.113.10", privateIp: "" });
    assert.deepEqual(addressRoles("10.1.2.3"), { publicIp: "", privateIp: "10.1.2.3" });
    assert.deepEqual(addressRoles("fd00::1"), { publicIp: "", privateIp: "fd00::1" });
    assert.deepEqual(addressRoles("docker.example.com"), { publicIp: "", privateIp: "" });
  });
});
