import * as assert from "node:assert/strict";
import { DockerHost, DockerHostArgs, PowerState } from "../../components";
import { powerControlOf, SourceName, SOURCE_NAMES } from "../../components/machines/registry";
import { HELD_SERVER_NAMES, HELD_STEP_INPUTS } from "../../components/power";
import { deploy, Deployed, installCloudMocks } from "./helpers/cloud";
import { CLOUD_IPS, cloudNow, invoked } from "./helpers/cloudMocks";
import { fakeKey, itRejectsBeforeAnyResource, unwrapSecret, valueOf } from "./helpers/mocks";

const CIDRS = ["198.51.100.0/24"];
const STATE = "aws:ec2transitgateway/instanceState:InstanceState";
const STEPS = ["wait", "install", "configure"];

/** Minimal inputs of every source, with `extra` (power among them). */
function argsFor(source: SourceName, extra: Partial<DockerHostArgs> = {}): DockerHostArgs {
  if (source === "existing") {
    return {
      existing: {
        host: "203.0.113.10",
        privateKey: fakeKey("ssh"),
        hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyForTests",
      },
      ...extra,
    };
  }
  return { [source]: {}, allowedCidrs: CIDRS, ...extra };
}

const names = (d: Deployed) => d.mine.map((r) => r.name);

describe("power (mocks)", () => {
  before(installCloudMocks);
  afterEach(() => {
    delete cloudNow.awsStartedIp;
  });

  describe("Running, the default, for every source", () => {
    for (const source of SOURCE_NAMES) {
      it(`${source}: outputs power Running; steps are not held; a power state only where the source holds one`, async () => {
        const name = `pw-run-${source}`;
        const d = await deploy(name, argsFor(source));
        assert.equal(await valueOf(d.host.power), "Running");
        for (const step of STEPS) assert.deepEqual(d.options(step).ignoreChanges, [], step);
        assert.deepEqual(d.options("server-csr").ignoreChanges, []);
        const declarative = powerControlOf(source).declarative;
        // The start check exists exactly where the machine has a power state.
        assert.equal(names(d).includes(`${name}-start`), declarative);
        assert.equal(d.ofType(STATE).length, source === "aws" ? 1 : 0);
        if (source === "aws") assert.equal(d.byName("power").inputs.state, "running");
        if (source === "gcp") assert.equal(d.byName("vm").inputs.desiredStatus, "RUNNING");
      });
    }
  });

  describe("Stopped where the source cannot hold a power state", () => {
    const refused = SOURCE_NAMES.filter((s) => !powerControlOf(s).declarative);
    it("is refused for digitalocean, hetzner, azure and existing", () => {
      assert.deepEqual([...refused].sort(), ["azure", "digitalocean", "existing", "hetzner"]);
    });
    itRejectsBeforeAnyResource(
      refused.map((source) => {
        const control = powerControlOf(source);
        assert.equal(control.declarative, false);
        return [
          source,
          argsFor(source, { power: PowerState.Stopped }),
          `power Stopped is not available with the ${source} machine source: ${control.why}. Instead, ${control.alternative}`,
        ] as const;
      }),
      (name, args) => new DockerHost(name, args),
      "pw-refused",
      (label) => `${label}: refused before any resource, naming the source, why and what instead`,
    );
    itRejectsBeforeAnyResource(
      [
        [
          "a value outside the enum",
          argsFor("aws", { power: "Off" as never }), // what a YAML or Python caller can send
          'power must be one of Running, Stopped, got "Off"',
        ],
        [
          "a Spot instance",
          argsFor("aws", { aws: { spot: true }, power: PowerState.Stopped }),
          "aws.spot cannot be combined with power Stopped: EC2 cannot stop a one-time Spot instance (only those of a persistent request). Keep power Running, or remove aws.spot (that replaces the instance) and then stop it",
        ],
      ],
      (name, args) => new DockerHost(name, args),
      "pw-bad",
    );
  });

  describe("aws", () => {
    it("Stopped: an InstanceState stopped gracefully after the steps; nothing replaced; steps and names held", async () => {
      const d = await deploy("pw-ec2-stop", argsFor("aws", { power: PowerState.Stopped }));
      assert.equal(await valueOf(d.host.power), "Stopped");
      const state = d.byName("power").inputs;
      assert.deepEqual(
        [state.instanceId, state.state, state.force],
        ["pw-ec2-stop-vm-id", "stopped", false],
      );
      // A host deployed Stopped is provisioned first: the stop waits for the last step.
      assert.ok(d.options("power").dependencies.includes(d.options("configure").urn));
      // Stopping changes no input of the instance, and a refresh while stopped cannot replace it.
      const vm = d.options("vm");
      assert.ok(vm.ignoreChanges.includes("associatePublicIpAddress"));
      assert.deepEqual(vm.replaceOnChanges, []);
      assert.equal(d.byName("vm").inputs.associatePublicIpAddress, true);
      // No remote step can run: they are held, and there is no start check.
      for (const step of STEPS)
        assert.deepEqual(d.options(step).ignoreChanges, [...HELD_STEP_INPUTS], step);
      assert.equal(names(d).includes("pw-ec2-stop-start"), false);
      assert.deepEqual(d.options("server-csr").ignoreChanges, [...HELD_SERVER_NAMES]);
      // The steps do not wait for the stop (they would never reach the machine).
      assert.equal(d.options("wait").dependencies.includes(d.options("power").urn), false);
      // The address recorded at launch stays; EC2 is not asked for the (absent) address of a stopped instance.
      assert.equal(await valueOf(d.host.address), CLOUD_IPS.awsPublic);
      assert.equal(
        invoked.some(
          (i) =>
            i.token === "aws:ec2/getInstance:getInstance" &&
            i.inputs.instanceId === "pw-ec2-stop-vm-id",
        ),
        false,
      );
    });

    it("Running: the steps and the start check follow the power state; the start check precedes install", async () => {
      const d = await deploy("pw-ec2-run", argsFor("aws"));
      const power = d.options("power");
      assert.deepEqual(d.byName("power").inputs.state, "running");
      // Running needs no provisioning first: the power state is applied before the steps.
      assert.equal(power.dependencies.includes(d.options("configure").urn), false);
      assert.ok(d.options("wait").dependencies.includes(power.urn));
      const start = d.options("start");
      assert.ok(
        start.dependencies.includes(power.urn),
        "the start check depends on the power state",
      );
      assert.ok(start.dependencies.includes(d.options("wait").urn));
      assert.ok(d.options("install").dependencies.includes(start.urn));
      // It dials like the wait step: the machine may still be booting.
      assert.deepEqual(
        (unwrapSecret(d.byName("start").inputs.connection) as Record<string, unknown>)
          .dialErrorLimit,
        d.connection().dialErrorLimit,
      );
    });

    it("Running after a start: the address EC2 now reports becomes the SAN, the SSH host and DOCKER_HOST", async () => {
      cloudNow.awsStartedIp = "203.0.113.99";
      const d = await deploy("pw-ec2-new-ip", argsFor("aws"));
      const read = invoked.find(
        (i) =>
          i.token === "aws:ec2/getInstance:getInstance" &&
          i.inputs.instanceId === "pw-ec2-new-ip-vm-id",
      );
      assert.ok(read, "the address is read from EC2 after the power state");
      assert.equal(await valueOf(d.host.address), "203.0.113.99");
      assert.equal(await valueOf(d.host.dockerHost), "tcp://203.0.113.99:2376");
      assert.deepEqual(
        d.byName("server-csr").inputs.ipAddresses,
        ["127.0.0.1", CLOUD_IPS.awsPrivate, "203.0.113.99"].sort(),
      );
      assert.equal(d.connection().host, "203.0.113.99");
    });

    it("with staticIp the Elastic IP stays the address whatever the instance's public IP", async () => {
      cloudNow.awsStartedIp = "203.0.113.98";
      const d = await deploy("pw-ec2-eip", argsFor("aws", { aws: { staticIp: true } }));
      assert.equal(await valueOf(d.host.address), CLOUD_IPS.awsElastic);
      const stopped = await deploy(
        "pw-ec2-eip-stop",
        argsFor("aws", { aws: { staticIp: true }, power: PowerState.Stopped }),
      );
      assert.equal(await valueOf(stopped.host.address), CLOUD_IPS.awsElastic);
      assert.equal(await valueOf(stopped.host.dockerHost), `tcp://${CLOUD_IPS.awsElastic}:2376`);
    });
  });

  describe("gcp", () => {
    it("Stopped: desiredStatus TERMINATED on the instance, nothing replaced; steps and names held", async () => {
      const d = await deploy("pw-gce-stop", argsFor("gcp", { power: PowerState.Stopped }));
      assert.equal(await valueOf(d.host.power), "Stopped");
      assert.equal(d.byName("vm").inputs.desiredStatus, "TERMINATED");
      assert.equal(d.byName("vm").inputs.allowStoppingForUpdate, true);
      const vm = d.options("vm");
      assert.deepEqual(vm.replaceOnChanges, ['metadata["user-data"]']);
      assert.deepEqual(vm.ignoreChanges, ["bootDisk.initializeParams.image"]);
      for (const step of STEPS)
        assert.deepEqual(d.options(step).ignoreChanges, [...HELD_STEP_INPUTS], step);
      assert.equal(names(d).includes("pw-gce-stop-start"), false);
      assert.deepEqual(d.options("server-csr").ignoreChanges, [...HELD_SERVER_NAMES]);
      // The ephemeral address is released while stopped: no address, no DOCKER_HOST (not a broken one).
      assert.equal(await valueOf(d.host.address), "");
      assert.equal(await valueOf(d.host.dockerHost), "");
      assert.deepEqual(await valueOf(d.host.env), { DOCKER_HOST: "", DOCKER_TLS_VERIFY: "1" });
    });

    it("Stopped with staticIp keeps the static address", async () => {
      const d = await deploy(
        "pw-gce-static-stop",
        argsFor("gcp", { gcp: { staticIp: true }, power: PowerState.Stopped }),
      );
      assert.equal(await valueOf(d.host.address), CLOUD_IPS.gcpStatic);
      assert.equal(await valueOf(d.host.dockerHost), `tcp://${CLOUD_IPS.gcpStatic}:2376`);
    });

    it("Running: the start check depends on the instance (its power state) and precedes install", async () => {
      const d = await deploy("pw-gce-run", argsFor("gcp"));
      const start = d.options("start");
      assert.ok(start.dependencies.includes(d.options("vm").urn));
      assert.ok(d.options("install").dependencies.includes(start.urn));
      assert.equal(await valueOf(d.host.address), CLOUD_IPS.gcpPublic);
    });
  });

  it("the start check gets the client key on stdin only (secret), and the certificates it compares as parameters", async () => {
    const d = await deploy("pw-start-step", argsFor("gcp"));
    const start = d.byName("start").inputs;
    const commandText = String(start.create);
    assert.match(commandText, /^# docker-host start:/);
    assert.match(commandText, /^DH_SERVER_CERT=/m);
    assert.match(commandText, /^DH_CLIENT_CERT=/m);
    assert.match(commandText, /^DH_ENGINE_PORT='?2376'?$/m);
    assert.doesNotMatch(commandText, /PRIVATE KEY/);
    const stdin = unwrapSecret(start.stdin) as string;
    assert.notEqual(stdin, start.stdin, "stdin is a secret");
    const key = fakeKey("pw-start-step-client-key");
    // The script (framed by its length), then the key right after it: the script's `read` takes it.
    assert.ok(stdin.endsWith(`$tls_answer"${Buffer.from(key, "utf8").toString("base64")}\n`));
    // Its script holds the check configure runs (tls.sh), not a copy of it.
    assert.match(stdin, /await_tls\(\) \{/);
  });
});
