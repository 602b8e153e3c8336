import * as assert from "node:assert/strict";
import { DockerHost, EngineInstallMethod, TlsAlgorithm } from "../../components";
import { CLOUD_IPS } from "./helpers/cloudMocks";
import { installCloudMocks } from "./helpers/cloud";
import { valueOf } from "./helpers/mocks";

// The contract of the cloud issue, every documented input set: it must type-check (the lint step runs tsc over
// tests) and run.
describe("the cloud contract compiles and runs as written", () => {
  before(installCloudMocks);
  const engine = { installMethod: EngineInstallMethod.DockerRepo, version: "27.5.1", port: 2376 };
  const tls = {
    algorithm: TlsAlgorithm.Ecdsa,
    validityDays: 365,
    extraSans: ["docker.example.com"],
  };

  it("aws", async () => {
    const host = new DockerHost("contract-aws", {
      aws: {
        region: "eu-west-1",
        instanceType: "t3.small",
        ami: "ami-0123456789abcdef0",
        subnetId: "subnet-0123456789abcdef0",
        vpcId: "vpc-0de7a017de7a017de",
        rootVolumeSizeGb: 30,
        staticIp: true,
        spot: false,
        iamInstanceProfile: "docker-host",
        tags: { team: "web" },
        userData: "#!/bin/sh\ntrue\n",
      },
      allowedCidrs: ["198.51.100.0/24"],
      engine,
      tls,
    });
    assert.equal(await valueOf(host.address), CLOUD_IPS.awsElastic);
    assert.equal(await valueOf(host.dockerHost), `tcp://${CLOUD_IPS.awsElastic}:2376`);
    assert.equal(await valueOf(host.privateIp), CLOUD_IPS.awsPrivate);
  });

  it("digitalocean", async () => {
    const host = new DockerHost("contract-do", {
      digitalocean: {
        region: "ams3",
        size: "s-2vcpu-4gb",
        image: "ubuntu-24-04-x64",
        vpcUuid: "0eb7cba0-0f3a-4c61-a4c4-2a0a5e1f2b3c",
        staticIp: false,
        ipv6: true,
        monitoring: true,
        tags: ["team:web"],
        userData: "#cloud-config\npackages: [jq]\n",
      },
      allowedCidrs: ["198.51.100.0/24", "2001:db8::/32"],
      engine,
      tls,
    });
    assert.equal(await valueOf(host.address), CLOUD_IPS.doPublic);
    assert.equal(await valueOf(host.publicIp), CLOUD_IPS.doPublic);
  });

  it("azure", async () => {
    const host = new DockerHost("contract-az", {
      azure: {
        location: "westeurope",
        resourceGroupName: "platform",
        vmSize: "Standard_B2s",
        adminUsername: "ops",
        image: "Canonical:ubuntu-24_04-lts:server:latest",
        osDiskSizeGb: 64,
        staticIp: true,
        tags: { team: "web" },
        customData: "#cloud-config\npackages: [jq]\n",
      },
      allowedCidrs: ["198.51.100.0/24"],
      engine,
      tls,
    });
    assert.equal(await valueOf(host.address), CLOUD_IPS.azurePublic);
    assert.equal(await valueOf(host.sshUser), "ops");
  });

  it("gcp", async () => {
    const host = new DockerHost("contract-gcp", {
      gcp: {
        project: "my-project-123",
        zone: "europe-west1-b",
        machineType: "e2-medium",
        image: "ubuntu-os-cloud/ubuntu-2404-lts-amd64",
        diskSizeGb: 30,
        diskType: "pd-ssd",
        network: "default",
        subnetwork: "default",
        staticIp: true,
        serviceAccountEmail: "docker@my-project-123.iam.gserviceaccount.com",
        serviceAccountScopes: ["cloud-platform"],
        labels: { team: "web" },
        networkTags: ["web"],
        userData: "#cloud-config\npackages: [jq]\n",
      },
      allowedCidrs: ["198.51.100.0/24", "2001:db8::/32"],
      engine,
      tls,
    });
    assert.equal(await valueOf(host.address), CLOUD_IPS.gcpStatic);
    assert.equal(await valueOf(host.privateIp), CLOUD_IPS.gcpPrivate);
    assert.equal(await valueOf(host.sshUser), "dockerhost");
  });

  it("hetzner", async () => {
    const host = new DockerHost("contract-hz", {
      hetzner: {
        location: "nbg1",
        serverType: "cx33",
        image: "ubuntu-24.04",
        networkId: 1234,
        staticIp: true,
        ipv4: true,
        ipv6: true,
        allowIcmp: true,
        labels: { team: "web" },
        userData: "#!/bin/sh\ntrue\n",
      },
      allowedCidrs: ["198.51.100.0/24", "2001:db8::/32"],
      engine,
      tls,
    });
    assert.equal(await valueOf(host.address), CLOUD_IPS.hetznerPrimary);
    assert.equal(await valueOf(host.privateIp), CLOUD_IPS.hetznerPrivate);
    assert.equal(await valueOf(host.sshUser), "root");
  });
});
