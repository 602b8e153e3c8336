import * as assert from "node:assert/strict";
import { sourceSchema } from "../../build/schema";
import { FirewallKind } from "../../components";
import { hostFirewall } from "../../components/machines/firewall";
import { CLOUD_SOURCE_NAMES, SOURCE_NAMES } from "../../components/machines/registry";

/** The firewall's fields: its kind and every id of every kind (the machine sources' registry decides them). */
const FIREWALL_FIELDS = Object.keys(hostFirewall(undefined)).sort();

interface Property {
  description?: string;
  $ref?: string;
  plain?: boolean;
}
interface Schema {
  name: string;
  resources: Record<
    string,
    {
      description?: string;
      inputProperties: Record<string, Property>;
      properties: Record<string, Property>;
      required?: string[];
      requiredInputs?: string[];
    }
  >;
  types: Record<
    string,
    { description?: string; properties?: Record<string, Property>; enum?: { value: string }[] }
  >;
}

describe("component schema (the contract other languages see)", function () {
  this.timeout(60000);
  let schema: Schema;

  before(() => {
    schema = sourceSchema() as unknown as Schema;
  });

  it("exposes docker-host:index:DockerHost with every input and output", () => {
    assert.equal(schema.name, "docker-host");
    const resource = schema.resources["docker-host:index:DockerHost"];
    assert.ok(resource, "the DockerHost resource is in the schema");
    // One input per machine source (registry.ts), and DockerHost's own.
    assert.deepEqual(
      Object.keys(resource.inputProperties).sort(),
      ["allowedCidrs", ...SOURCE_NAMES, "engine", "power", "timeouts", "tls"].sort(),
    );
    assert.deepEqual(Object.keys(resource.properties).sort(), [
      "address",
      "caCert",
      "clientCert",
      "clientCertValidUntil",
      "clientKey",
      "clients",
      "dockerHost",
      "engineVersion",
      "env",
      "firewall",
      "power",
      "privateIp",
      "publicIp",
      "serverCertValidUntil",
      "source",
      "sshHostKey",
      "sshPort",
      "sshPrivateKey",
      "sshUser",
    ]);
    assert.deepEqual(
      [...(resource.required ?? [])].sort(),
      Object.keys(resource.properties).sort(),
    );
  });

  it("has the input types with the contract's field names", () => {
    const fields = (t: string) =>
      Object.keys(schema.types[`docker-host:index:${t}`]?.properties ?? {}).sort();
    assert.deepEqual(fields("ExistingMachineArgs"), [
      "cleanupOnDelete",
      "host",
      "hostKey",
      "port",
      "privateKey",
      "user",
    ]);
    assert.deepEqual(fields("AwsMachineArgs"), [
      "ami",
      "iamInstanceProfile",
      "instanceType",
      "region",
      "rootVolumeSizeGb",
      "spot",
      "staticIp",
      "subnetId",
      "tags",
      "userData",
      "vpcId",
    ]);
    assert.deepEqual(fields("DigitalOceanMachineArgs"), [
      "image",
      "ipv6",
      "monitoring",
      "region",
      "size",
      "staticIp",
      "tags",
      "userData",
      "vpcUuid",
    ]);
    assert.deepEqual(fields("AzureMachineArgs"), [
      "adminUsername",
      "applicationSecurityGroupIds",
      "customData",
      "image",
      "location",
      "osDiskSizeGb",
      "resourceGroupName",
      "staticIp",
      "subnetId",
      "tags",
      "vmSize",
    ]);
    assert.deepEqual(fields("EngineArgs"), [
      "daemonConfig",
      "env",
      "insecureRegistries",
      "installMethod",
      "installScriptUrl",
      "labels",
      "liveRestore",
      "logDriver",
      "logOpts",
      "port",
      "registryMirrors",
      "storageDriver",
      "version",
    ]);
    assert.deepEqual(fields("TimeoutsArgs"), ["configure", "install", "wait"]);
    assert.deepEqual(fields("TlsArgs"), [
      "algorithm",
      "caCertPem",
      "caKeyPem",
      "clients",
      "earlyRenewalDays",
      "extraSans",
      "rotation",
      "validityDays",
    ]);
    assert.deepEqual(
      schema.types["docker-host:index:EngineInstallMethod"]?.enum?.map((e) => e.value),
      ["DockerRepo", "Distro", "Script", "Preinstalled"],
    );
    assert.deepEqual(
      schema.types["docker-host:index:TlsAlgorithm"]?.enum?.map((e) => e.value),
      ["Ecdsa", "Rsa"],
    );
    // `power` is a plain enum input (known when the program runs), its output the state as a string.
    assert.deepEqual(
      schema.types["docker-host:index:PowerState"]?.enum?.map((e) => e.value),
      ["Running", "Stopped"],
    );
    const resource = schema.resources["docker-host:index:DockerHost"];
    const power = resource?.inputProperties.power;
    assert.ok(power, "the power input is in the schema");
    assert.equal(power.$ref, "#/types/docker-host:index:PowerState");
    assert.equal(power.plain, true);
  });

  it("outputs the host's firewall: its kind (an enum) and the ids of every kind", () => {
    const resource = schema.resources["docker-host:index:DockerHost"];
    assert.equal(resource?.properties.firewall?.$ref, "#/types/docker-host:index:HostFirewall");
    assert.deepEqual(
      Object.keys(schema.types["docker-host:index:HostFirewall"]?.properties ?? {}).sort(),
      FIREWALL_FIELDS,
    );
    assert.ok(FIREWALL_FIELDS.includes("securityGroupId") && FIREWALL_FIELDS.includes("dropletId"));
    assert.deepEqual(
      schema.types["docker-host:index:FirewallKind"]?.enum?.map((e) => e.value),
      Object.values(FirewallKind),
    );
    assert.deepEqual(Object.values(FirewallKind).slice(0, 3), ["aws", "digitalocean", "azure"]);
  });

  it("makes the inputs that decide which resources exist plain (known when the program runs)", () => {
    const resource = schema.resources["docker-host:index:DockerHost"];
    assert.equal(resource?.inputProperties.allowedCidrs?.plain, true);
    // Every cloud source's args: staticIp decides whether an address resource exists; nothing else is plain.
    for (const source of CLOUD_SOURCE_NAMES) {
      const ref = resource.inputProperties[source]?.$ref ?? "";
      const fields: Record<string, Property> =
        schema.types[ref.replace("#/types/", "")]?.properties ?? {};
      assert.ok(Object.keys(fields).length > 0, `${source}: ${ref}`);
      const plain = Object.keys(fields).filter((k) => fields[k]?.plain === true);
      assert.deepEqual(plain, ["staticIp"], source);
    }
  });

  it("exposes docker-host:index:DockerSwarm, its hosts as data (a DockerHost's outputs), lists known at run time", () => {
    const resource = schema.resources["docker-host:index:DockerSwarm"];
    assert.ok(resource, "the DockerSwarm resource is in the schema");
    assert.deepEqual(Object.keys(resource.inputProperties).sort(), [
      "advertiseAddress",
      "firewallTags",
      "labels",
      "managers",
      "workers",
    ]);
    assert.deepEqual(resource.requiredInputs, ["managers"]);
    // A tag decides whether the swarm has one firewall or one per member: known when the program runs.
    assert.equal(resource.inputProperties.firewallTags?.plain, true);
    assert.deepEqual(Object.keys(resource.properties).sort(), [
      "clusterId",
      "managerAddress",
      "managerJoinToken",
      "nodes",
      "workerJoinToken",
    ]);
    for (const list of ["managers", "workers"]) {
      const p = resource.inputProperties[list] as Property & { items?: Property };
      assert.equal(p.plain, true, `${list} is a plain list: it decides the resources`);
      assert.equal(p.items?.$ref, "#/types/docker-host:index:SwarmNodeArgs");
    }
    const node = schema.types["docker-host:index:SwarmNodeArgs"];
    assert.deepEqual(Object.keys(node?.properties ?? {}).sort(), [
      "address",
      "dockerHost",
      "firewall",
      "name",
      "privateIp",
      "sshHostKey",
      "sshPort",
      "sshPrivateKey",
      "sshUser",
    ]);
    assert.equal(node?.properties?.name?.plain, true);
    // The firewall's kind decides which rules exist: known when the program runs; its ids may be outputs.
    const nodeFields = schema.types["docker-host:index:SwarmNodeArgs"]?.properties ?? {};
    assert.equal(nodeFields.firewall?.plain, true);
    const firewall = schema.types["docker-host:index:SwarmFirewallArgs"]?.properties ?? {};
    assert.deepEqual(Object.keys(firewall).sort(), FIREWALL_FIELDS);
    assert.equal(firewall.kind?.plain, true);
    assert.equal(firewall.securityGroupId?.plain, undefined);
    assert.deepEqual(
      Object.keys(schema.types["docker-host:index:SwarmNodeInfo"]?.properties ?? {}).sort(),
      ["advertiseAddress", "name", "nodeId", "role"],
    );
  });

  it("documents every input, output and field of every input type", () => {
    const undocumented: string[] = [];
    for (const [token, resource] of Object.entries(schema.resources)) {
      for (const [k, p] of Object.entries({
        ...resource.inputProperties,
        ...resource.properties,
      })) {
        if (!p.description) undocumented.push(`${token}.${k}`);
      }
    }
    for (const [name, t] of Object.entries(schema.types)) {
      for (const [k, p] of Object.entries(t.properties ?? {}))
        if (!p.description) undocumented.push(`${name}.${k}`);
    }
    assert.deepEqual(undocumented, []);
  });
});
