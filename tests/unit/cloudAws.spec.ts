import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerHost, DockerHostArgs } from "../../components";
import {
  capturingWarnings,
  coreInventory,
  deploy,
  deploymentError,
  installCloudMocks,
  inventory,
} from "./helpers/cloud";
import { fakeKey, isSecretValue, registeredUrns, unwrapSecret, valueOf } from "./helpers/mocks";
import { CLOUD_IPS, invoked } from "./helpers/cloudMocks";

const CIDRS = ["198.51.100.0/24", "2001:db8::/32"];
const args = (
  aws: DockerHostArgs["aws"] = {},
  extra: Partial<DockerHostArgs> = {},
): DockerHostArgs => ({
  aws,
  allowedCidrs: CIDRS,
  ...extra,
});
const invokesOf = (token: string) => invoked.filter((i) => i.token === token);

describe("aws machine source (mocks)", () => {
  before(installCloudMocks);

  it("creates a key pair, a security group with one rule per range and port, the instance; all under the DockerHost", async () => {
    const d = await deploy("ec2graph", args());
    assert.deepEqual(
      inventory(d),
      [
        ...coreInventory("ec2graph"),
        "aws:ec2/instance:Instance ec2graph-vm",
        "aws:ec2/keyPair:KeyPair ec2graph-login",
        "aws:ec2/securityGroup:SecurityGroup ec2graph-firewall",
        "aws:ec2transitgateway/instanceState:InstanceState ec2graph-power",
        "command:remote:Command ec2graph-start",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule ec2graph-egress-all-ipv4",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule ec2graph-egress-all-ipv6",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule ec2graph-engine-from-198.51.100.0-24",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule ec2graph-engine-from-2001-db8---32",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule ec2graph-ssh-from-198.51.100.0-24",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule ec2graph-ssh-from-2001-db8---32",
      ].sort(),
    );
    const children = registeredUrns().filter((u) => /::ec2graph-/.test(u));
    for (const urn of children) assert.match(urn, /::docker-host:index:DockerHost\$/, urn);
  });

  it("admits exactly allowedCidrs on 22 and the engine port, nothing else; egress open on both families", async () => {
    const d = await deploy("ec2-rules", args({}, { engine: { port: 2377 } }));
    const sgId = "ec2-rules-firewall-id";
    const ingress = d
      .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .map((r) => {
        assert.equal(r.inputs.securityGroupId, sgId);
        const { ipProtocol, fromPort, toPort, cidrIpv4, cidrIpv6 } = r.inputs;
        return `${String(ipProtocol)} ${String(fromPort)}-${String(toPort)} ${String(cidrIpv4 ?? cidrIpv6)}`;
      })
      .sort();
    assert.deepEqual(ingress, [
      "tcp 22-22 198.51.100.0/24",
      "tcp 22-22 2001:db8::/32",
      "tcp 2377-2377 198.51.100.0/24",
      "tcp 2377-2377 2001:db8::/32",
    ]);
    const egress = d
      .ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
      .map((r) => [r.inputs.ipProtocol, r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6, r.inputs.fromPort]);
    assert.deepEqual(egress, [
      ["-1", "0.0.0.0/0", undefined],
      ["-1", "::/0", undefined],
    ]);
    const sg = d.byName("firewall").inputs;
    assert.equal(sg.ingress, undefined, "no inline rule");
    assert.equal(sg.egress, undefined, "no inline rule");
    assert.equal(sg.vpcId, "vpc-0de7a017de7a017de");
  });

  it("requires IMDSv2 with hop limit 1, encrypts the gp3 root volume, attaches only its own security group", async () => {
    const d = await deploy("ec2-hard", args({ rootVolumeSizeGb: 40 }));
    const vm = d.byName("vm").inputs;
    assert.deepEqual(vm.metadataOptions, {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
    });
    const root = vm.rootBlockDevice as Record<string, unknown>;
    assert.deepEqual(
      [root.encrypted, root.volumeType, root.volumeSize, root.deleteOnTermination],
      [true, "gp3", 40, true],
    );
    assert.deepEqual(vm.vpcSecurityGroupIds, ["ec2-hard-firewall-id"]);
    assert.equal(vm.keyName, "ec2-hard-login-key-name");
    assert.equal(vm.associatePublicIpAddress, true);
    assert.equal(vm.userDataReplaceOnChange, true);
    assert.equal(vm.instanceMarketOptions, undefined, "on-demand unless spot is asked for");
    assert.equal(vm.instanceType, "t3.small");
    assert.equal(vm.subnetId, "subnet-0aaaaaaaaaaaaaaaa", "the first default subnet by id");
  });

  it("injects the generated ED25519 host key through secret user data and pins it in the SSH connection", async () => {
    const d = await deploy("ec2-pin", args());
    const vm = d.byName("vm").inputs;
    assert.ok(isSecretValue(vm.userData), "user data holds a private key: secret");
    const userData = String(unwrapSecret(vm.userData));
    assert.match(userData, /^#cloud-config\n/);
    assert.match(userData, /^ssh_deletekeys: true$/m);
    assert.match(userData, /^ssh_genkeytypes: \[\]$/m);
    assert.ok(
      userData.includes(
        `  ed25519_private: |\n    -----BEGIN PRIVATE KEY-----\n    SECRET-BODY-ec2-pin-ssh-host-key-openssh\n`,
      ),
    );
    assert.ok(userData.includes('  ed25519_public: "ssh-ed25519 AAAAPUBLICec2-pin-ssh-host-key"'));
    assert.equal(d.byName("ssh-host-key").inputs.algorithm, "ED25519");
    assert.equal(d.byName("ssh-login-key").inputs.algorithm, "ED25519");
    assert.equal(d.byName("login").inputs.publicKey, "ssh-ed25519 AAAAPUBLICec2-pin-ssh-login-key");

    const connection = d.connection();
    assert.equal(connection.hostKey, "ssh-ed25519 AAAAPUBLICec2-pin-ssh-host-key");
    assert.equal(connection.user, "ubuntu");
    assert.equal(connection.host, CLOUD_IPS.awsPublic);
    assert.equal(connection.privateKey, fakeKey("ec2-pin-ssh-login-key-openssh"));
    assert.equal(
      connection.dialErrorLimit,
      32,
      "a booting VM: about two minutes of fast failures, so a wrong host key fails with its own message",
    );
    for (const step of ["install", "configure"]) {
      const c = unwrapSecret(d.byName(step).inputs.connection) as Record<string, unknown>;
      assert.equal(c.hostKey, connection.hostKey, `${step} pins the host key too`);
    }
    const wait = d.options("wait").dependencies;
    for (const suffix of ["vm", "ssh-from-198.51.100.0-24", "engine-from-198.51.100.0-24"]) {
      assert.ok(wait.includes(d.options(suffix).urn), `the wait step waits for ${suffix}`);
    }
  });

  it("outputs what a swarm's security group needs: the primary network interface and the VPC; the instance keeps its own group", async () => {
    const d = await deploy("ec2-eni", args({ region: "eu-west-1" }));
    const firewall = d.host.firewall;
    assert.equal(await valueOf(firewall.networkInterfaceId), "eni-ec2-eni-vm");
    assert.equal(await valueOf(firewall.vpcId), "vpc-0de7a017de7a017de");
    assert.equal(await valueOf(firewall.securityGroupId), "ec2-eni-firewall-id");
    assert.equal(await valueOf(firewall.region), "eu-west-1");
    // The instance's groups are its own group only; a swarm's group goes onto the interface, which the instance
    // would read back among vpcSecurityGroupIds and detach on its next update: it ignores changes to them.
    assert.deepEqual(d.byName("vm").inputs.vpcSecurityGroupIds, ["ec2-eni-firewall-id"]);
    assert.ok(d.options("vm").ignoreChanges.includes("vpcSecurityGroupIds"));
    assert.ok(
      !d.options("vm").ignoreChanges.includes("subnetId"),
      "a new subnet still replaces it",
    );
  });

  it("looks up the newest Canonical Ubuntu 24.04 AMI for the instance type's architecture, then keeps it", async () => {
    const d = await deploy("ec2-ami", args({ instanceType: "m5.large", region: "eu-west-1" }));
    const type = invokesOf("aws:ec2/getInstanceType:getInstanceType").find(
      (i) => i.inputs.instanceType === "m5.large",
    );
    assert.equal(type?.inputs.region, "eu-west-1");
    const ami = invokesOf("aws:ec2/getAmi:getAmi").find((i) => i.inputs.region === "eu-west-1");
    assert.ok(ami, "the AMI was looked up in the instance's region");
    assert.deepEqual(ami.inputs.owners, ["099720109477"]);
    assert.equal(ami.inputs.mostRecent, true);
    assert.deepEqual(ami.inputs.filters, [
      { name: "name", values: ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"] },
      { name: "architecture", values: ["x86_64"] },
      { name: "virtualization-type", values: ["hvm"] },
    ]);
    assert.equal(d.byName("vm").inputs.ami, "ami-0d64d64d64d64d64d");
    assert.equal(d.byName("vm").inputs.region, "eu-west-1");
    assert.equal(d.byName("firewall").inputs.region, "eu-west-1");
    assert.deepEqual(
      d.options("vm").ignoreChanges,
      ["ami", "vpcSecurityGroupIds", "associatePublicIpAddress"],
      "a newer AMI never replaces the host; a swarm's group on the interface is never detached; a refresh while stopped never replaces it",
    );
  });

  it("gives Graviton instance types the arm64 image", async () => {
    const d = await deploy("ec2-arm", args({ instanceType: "t4g.small" }));
    assert.equal(d.byName("vm").inputs.ami, "ami-0a64a64a64a64a64a");
    const ami = invokesOf("aws:ec2/getAmi:getAmi").map((i) => JSON.stringify(i.inputs.filters));
    assert.ok(ami.some((f) => f.includes("ubuntu-noble-24.04-arm64-server-*")));
  });

  it("uses an explicit AMI as given: no lookup, and changing it replaces the instance", async () => {
    const d = await deploy(
      "ec2-own-ami",
      args({ ami: "ami-0123456789abcdef0", instanceType: "c5.xlarge" }),
    );
    assert.equal(d.byName("vm").inputs.ami, "ami-0123456789abcdef0");
    assert.deepEqual(d.options("vm").ignoreChanges, [
      "vpcSecurityGroupIds",
      "associatePublicIpAddress",
    ]);
    assert.equal(
      invokesOf("aws:ec2/getInstanceType:getInstanceType").some(
        (i) => i.inputs.instanceType === "c5.xlarge",
      ),
      false,
    );
  });

  it("picks a default subnet in a zone offering the instance type, reading (never changing) the default VPC", async () => {
    const d = await deploy("ec2-net", args({ instanceType: "r6i.large" }));
    const offerings = invokesOf("aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings").find(
      (i) => JSON.stringify(i.inputs.filters).includes("r6i.large"),
    );
    assert.equal(offerings?.inputs.locationType, "availability-zone");
    const subnets = invokesOf("aws:ec2/getSubnets:getSubnets").map((i) => i.inputs.filters);
    assert.ok(
      subnets.some(
        (f) =>
          JSON.stringify(f) ===
          JSON.stringify([
            { name: "vpc-id", values: ["vpc-0de7a017de7a017de"] },
            { name: "availability-zone", values: ["us-east-1a", "us-east-1b"] },
            { name: "default-for-az", values: ["true"] },
          ]),
      ),
    );
    assert.ok(invokesOf("aws:ec2/getVpc:getVpc").some((i) => i.inputs.default === true));
    const created = new Set(d.mine.filter((r) => r.type.startsWith("aws:")).map((r) => r.type));
    assert.deepEqual([...created].sort(), [
      "aws:ec2/instance:Instance",
      "aws:ec2/keyPair:KeyPair",
      "aws:ec2/securityGroup:SecurityGroup",
      "aws:ec2transitgateway/instanceState:InstanceState",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    ]);
  });

  it("uses a given subnet and its VPC, and fails when the given VPC is another", async () => {
    const d = await deploy("ec2-subnet", args({ subnetId: "subnet-0123456789abcdef0" }));
    assert.equal(d.byName("vm").inputs.subnetId, "subnet-0123456789abcdef0");
    assert.equal(d.byName("firewall").inputs.vpcId, "vpc-0de7a017de7a017de");
    const wrong = new DockerHost(
      "ec2-wrongvpc",
      args({ subnetId: "subnet-0123456789abcdef0", vpcId: "vpc-0fffffffffffffff0" }),
    );
    const error = await deploymentError(wrong);
    assert.match(
      error.message,
      /DockerHost "ec2-wrongvpc": aws.subnetId subnet-0123456789abcdef0 is in vpc-0de7a017de7a017de, not in aws.vpcId vpc-0fffffffffffffff0/,
    );
  });

  it("with staticIp: an Elastic IP is the address, DOCKER_HOST and a SAN; the ephemeral IP is not", async () => {
    const d = await deploy("ec2-eip", args({ staticIp: true }));
    const eip = d.byName("static-ip").inputs;
    assert.deepEqual([eip.domain, eip.instance], ["vpc", "ec2-eip-vm-id"]);
    assert.equal(await valueOf(d.host.address), CLOUD_IPS.awsElastic);
    assert.equal(await valueOf(d.host.publicIp), CLOUD_IPS.awsElastic);
    assert.equal(await valueOf(d.host.privateIp), CLOUD_IPS.awsPrivate);
    assert.equal(await valueOf(d.host.dockerHost), `tcp://${CLOUD_IPS.awsElastic}:2376`);
    assert.deepEqual(
      d.byName("server-csr").inputs.ipAddresses,
      ["127.0.0.1", CLOUD_IPS.awsPrivate, CLOUD_IPS.awsElastic].sort(),
    );
    assert.equal(d.connection().host, CLOUD_IPS.awsElastic);
    assert.ok(d.options("wait").dependencies.includes(d.options("static-ip").urn));
  });

  it("outputs the public and private IPs, the login user and its key (secret)", async () => {
    const d = await deploy("ec2-out", args());
    assert.equal(await valueOf(d.host.address), CLOUD_IPS.awsPublic);
    assert.equal(await valueOf(d.host.publicIp), CLOUD_IPS.awsPublic);
    assert.equal(await valueOf(d.host.privateIp), CLOUD_IPS.awsPrivate);
    assert.deepEqual(
      d.byName("server-csr").inputs.ipAddresses,
      ["127.0.0.1", CLOUD_IPS.awsPrivate, CLOUD_IPS.awsPublic].sort(),
    );
    assert.equal(await valueOf(d.host.sshUser), "ubuntu");
    assert.equal(await valueOf(d.host.sshPrivateKey), fakeKey("ec2-out-ssh-login-key-openssh"));
    assert.equal(await pulumi.isSecret(d.host.sshPrivateKey), true);
    assert.equal(await pulumi.isSecret(d.host.clientKey), true);
    assert.equal(
      d.byName("configure").inputs.delete,
      undefined,
      "the VM goes with the host: no cleanup",
    );
  });

  it("tags every AWS resource with its name, docker-host and the user's tags", async () => {
    const d = await deploy("ec2-tags", args({ tags: { team: "web" } }));
    // The power state is an action on the instance, not a resource of AWS: it takes no tags.
    const tagged = d.mine.filter(
      (x) => x.type.startsWith("aws:") && !x.type.endsWith(":InstanceState"),
    );
    assert.ok(tagged.length >= 8);
    for (const r of tagged) {
      const tags = r.inputs.tags as Record<string, string>;
      assert.deepEqual(
        [tags.Name, tags["docker-host"], tags.team],
        [r.name, "ec2-tags", "web"],
        `${r.type} ${r.name} is tagged`,
      );
    }
    const root = d.byName("vm").inputs.rootBlockDevice as { tags: Record<string, string> };
    assert.equal(root.tags.Name, "ec2-tags-root-volume");
  });

  it("runs spot instances on request", async () => {
    const d = await deploy("ec2-spot", args({ spot: true }));
    assert.deepEqual(d.byName("vm").inputs.instanceMarketOptions, {
      marketType: "spot",
      spotOptions: { spotInstanceType: "one-time", instanceInterruptionBehavior: "terminate" },
    });
  });

  it("merges the user's user data after its own, as MIME multi-part", async () => {
    const d = await deploy("ec2-ud", args({ userData: "#!/bin/bash\necho hello > /tmp/hello\n" }));
    const userData = String(unwrapSecret(d.byName("vm").inputs.userData));
    assert.match(userData, /^Content-Type: multipart\/mixed; boundary="==docker-host-user-data=="/);
    const cloudConfig = userData.indexOf("Content-Type: text/cloud-config");
    const script = userData.indexOf("Content-Type: text/x-shellscript");
    assert.ok(cloudConfig > 0 && script > cloudConfig, "DockerHost's part first, then the user's");
    assert.ok(userData.includes("#!/bin/bash\necho hello > /tmp/hello\n"));
  });

  it("warns when allowedCidrs opens the host to the world, and only then", async () => {
    const open = await capturingWarnings(() =>
      deploy("ec2-world", args({}, { allowedCidrs: ["0.0.0.0/0", "::/0"] })),
    );
    assert.ok(
      open.some(
        (w) =>
          w.includes("allowedCidrs includes 0.0.0.0/0 and ::/0") && w.includes("whole internet"),
      ),
      open.join("\n"),
    );
    const closed = await capturingWarnings(() => deploy("ec2-closed", args()));
    assert.deepEqual(
      closed.filter((w) => w.includes("allowedCidrs")),
      [],
    );
  });
});
