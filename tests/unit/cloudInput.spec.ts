import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { DockerHost, DockerHostArgs } from "../../components";
import { addressRoles, cidrName, hostnameFor } from "../../components/machines/cidrs";
import { CLOUD_SOURCE_NAMES, SOURCE_NAMES } from "../../components/machines/registry";
import { canonicalCidr, checkAllowedCidrs } from "../../components/validate";
import { deploymentError, installCloudMocks } from "./helpers/cloud";
import { registeredUnder, settle } from "./helpers/mocks";

const CIDRS = ["198.51.100.0/24"];
const unsafe = (value: unknown) => value as never; // what a YAML or Python caller can send
const KEY_CONFIG = "#cloud-config\nssh_keys:\n  ed25519_private: |\n    x\n";

/** [case, args, the exact message after `DockerHost "<name>": `] */
const cases: [string, DockerHostArgs, string][] = [
  // Every cloud source, the same message (the registry's createsMachine).
  ...CLOUD_SOURCE_NAMES.map((source): [string, DockerHostArgs, string] => [
    `missing allowedCidrs (${source})`,
    { [source]: {} },
    `allowedCidrs is required with ${source}: the CIDR ranges allowed to reach SSH and the engine port, e.g. ["198.51.100.0/24"] (["0.0.0.0/0", "::/0"] opens them to the world)`,
  ]),
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
    `exactly one machine source is required: set one of ${SOURCE_NAMES.join(", ")} (got aws and azure)`,
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
  // gcp and hetzner: [source, input, value, the message after "SOURCE.INPUT "].
  ...(
    [
      ["gcp", "zone", "us-central1", 'must be a zone such as "europe-west1-b", got "us-central1"'],
      [
        "gcp",
        "project",
        "My Project",
        'must be a project ID such as "my-project-123", got "My Project"',
      ],
      [
        "gcp",
        "machineType",
        "e2 small",
        'must be a machine type such as "e2-small", got "e2 small"',
      ],
      ["gcp", "diskSizeGb", 5, "must be a whole number from 10 to 65536, got 5"],
      [
        "gcp",
        "network",
        "my net",
        'must be a network name such as "default" or its self link, got "my net"',
      ],
      [
        "gcp",
        "serviceAccountEmail",
        "default",
        `must be a service account's e-mail, got "default"`,
      ],
      [
        "gcp",
        "labels",
        { Team: "web" },
        'key "Team" is invalid: lowercase letters, digits, _ and -, starting with a letter, at most 63',
      ],
      [
        "gcp",
        "networkTags",
        ["Web"],
        `must be a list of network tags (lowercase letters, digits and inner '-', starting with a letter, at most 63), got ["Web"]`,
      ],
      ["gcp", "staticIp", "yes", 'must be true or false, got "yes"'],
      [
        "hetzner",
        "location",
        "Falkenstein",
        'must be a location name such as "fsn1", "nbg1", "hel1" or "ash", got "Falkenstein"',
      ],
      [
        "hetzner",
        "serverType",
        "CX23",
        'must be a server type such as "cx23" or "cax11", got "CX23"',
      ],
      [
        "hetzner",
        "image",
        "Ubuntu 24.04",
        'must be an image name such as "ubuntu-24.04" or an image ID, got "Ubuntu 24.04"',
      ],
      ["hetzner", "networkId", "1234", 'must be a network ID (a whole number), got "1234"'],
      ["hetzner", "allowIcmp", "yes", 'must be true or false, got "yes"'],
      [
        "hetzner",
        "labels",
        { "hetzner.cloud/x": "1" },
        `key "hetzner.cloud/x" is invalid: an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit; not hetzner.cloud/`,
      ],
      [
        "hetzner",
        "userData",
        KEY_CONFIG,
        "must not set ssh_keys, ssh_deletekeys, ssh_genkeytypes (found ssh_keys): DockerHost installs the SSH host key it pins in every connection",
      ],
      [
        "hetzner",
        "userData",
        `#!/bin/sh\n${"#".repeat(32 * 1024)}`,
        "must be at most 31 KiB (Hetzner takes 32 KiB of user data, DockerHost's part included), got 32778 bytes",
      ],
    ] as const
  ).map(([source, input, value, rest]): [string, DockerHostArgs, string] => [
    `${source}.${input} ${JSON.stringify(value).slice(0, 40)}`,
    { [source]: { [input]: value }, allowedCidrs: CIDRS },
    `${source}.${input} ${rest}`,
  ]),
  [
    "gcp scopes without a service account",
    { gcp: { serviceAccountScopes: ["cloud-platform"] }, allowedCidrs: CIDRS },
    "gcp.serviceAccountScopes needs gcp.serviceAccountEmail: by default the instance has no service account",
  ],
  [
    "gcp label value in capitals",
    { gcp: { labels: { team: "Web" } }, allowedCidrs: CIDRS },
    'gcp.labels.team must be a label value (lowercase letters, digits, _ and -, at most 63), got "Web"',
  ],
  [
    "hetzner staticIp without IPv4",
    { hetzner: { staticIp: true, ipv4: false }, allowedCidrs: CIDRS },
    "hetzner.staticIp is a primary IPv4 address: it needs hetzner.ipv4 (true by default)",
  ],
  [
    "hetzner without any public address",
    { hetzner: { ipv4: false, ipv6: false }, allowedCidrs: CIDRS },
    "hetzner.ipv4 and hetzner.ipv6 are both false: the server needs a public address for SSH and the engine",
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
