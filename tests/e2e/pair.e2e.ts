import { Stack, UpResult } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { stateOutput } from "./helpers/certs";
import { Bundle, docker, probe, writeBundle } from "./helpers/docker";
import { Sandbox, sandboxDown, sandboxUp, ssh } from "./helpers/sandbox";
import { assertNoKeyLeaks } from "./helpers/secrets";
import { exampleStack, timed } from "./helpers/stack";

// Fault cases 3 and 8 on two fresh sandbox hosts, one stack (examples/existing-hosts): DockerHosts
// `alpha` and `beta` are provisioned in parallel; the network from beta to the package mirror drops while beta's
// apt-get install runs. Real engine, real SSH, real apt against the Debian mirror.
describe("Two DockerHosts in one stack (end to end)", function () {
  const names = ["alpha", "beta"] as const;
  const sandboxNames = names.map((n) => `dh${n}${String(process.pid % 1000)}`);
  let sandboxes: Sandbox[] = [];
  let stack: Stack;
  let stackCreated = false;
  let transcript = "";
  let firstUp = "";

  const record = (s: string) => {
    transcript += s;
    process.stdout.write(s);
  };
  const up = (opts: { continueOnError?: boolean } = {}): Promise<UpResult> =>
    stack.up({ onOutput: record, color: "never", ...opts });
  const sandboxOf = (name: (typeof names)[number]): Sandbox => {
    const sb = sandboxes[names.indexOf(name)];
    assert.ok(sb !== undefined);
    return sb;
  };
  /** A host's client bundle as its resources hold it (readable even when the update as a whole failed). */
  const bundleOf = async (name: string): Promise<Bundle> =>
    writeBundle(
      await stateOutput(stack, `${name}-ca`, "certPem"),
      await stateOutput(stack, `${name}-client-cert`, "certPem"),
      await stateOutput(stack, `${name}-client-key`, "privateKeyPem"),
    );
  const tlsStatus = async (sb: Sandbox, bundle: Bundle) => {
    const r = await probe(sb.host, 2376, bundle.ca, { cert: bundle.cert, key: bundle.key });
    return r.status ?? r.error ?? "none";
  };
  const dockerdSince = (sb: Sandbox) =>
    ssh(sb, "systemctl show -p ActiveEnterTimestampMonotonic -p MainPID docker.service").trim();
  /** The rule that cuts a sandbox's TCP to the outside ("network unreachable"), tagged so `-D` finds it. */
  const mirrorCut = (sb: Sandbox) => [
    "FORWARD",
    "-i",
    sb.iface,
    "-p",
    "tcp",
    "-m",
    "comment",
    "--comment",
    `dh-e2e-mirror-drop-${String(process.pid)}`,
    "-j",
    "REJECT",
    "--reject-with",
    "icmp-net-unreachable",
  ];
  const iptables = (op: "-I" | "-D", sb: Sandbox) => {
    execFileSync("iptables", [op, ...mirrorCut(sb)], { stdio: "ignore" });
  };

  before(async function () {
    sandboxes = await timed("two sandbox boots", () =>
      Promise.resolve(sandboxNames.map((n) => sandboxUp(n))),
    );
    stack = await exampleStack("existing-hosts", "pair");
    stackCreated = true;
    const hosts = sandboxes.map((s, i) => ({
      name: names[i],
      host: s.host,
      privateKeyPath: s.privateKeyPath,
      hostKey: s.hostKey,
    }));
    await stack.setConfig("hosts", { value: JSON.stringify(hosts) });
  });

  after(async function () {
    try {
      for (const sb of sandboxes) {
        try {
          iptables("-D", sb);
        } catch {
          // not inserted, or already removed
        }
      }
      if (stackCreated) await stack.workspace.removeStack("pair", { force: true });
    } finally {
      for (const n of sandboxNames) sandboxDown(n);
    }
  });

  it("(3) the mirror drops during beta's apt-get install: up fails saying so; alpha serves; beta is unchanged", async () => {
    const beta = sandboxOf("beta");
    const betaNet = readlinkSync(`/proc/${String(initOf(beta))}/ns/net`);
    let dropped = false;
    // The moment beta's `apt-get install` starts (after its `apt-get update` succeeded), its way to the mirror is
    // cut: every TCP packet it sends out gets "network unreachable", as when the route goes away mid-download.
    const watcher = setInterval(() => {
      if (!dropped && aptInstallRunningIn(betaNet)) {
        dropped = true;
        iptables("-I", beta);
      }
    }, 50);
    const seen = transcript.length;
    let message = "";
    try {
      // --continue-on-error: after a failure Pulumi by default starts no further step, so whether alpha's
      // configure step ran in this update would depend on which host got there first; the next `up` would
      // finish it either way. With it, the update shows what this case is about: beta's failure leaves alpha's
      // provisioning alone.
      await timed("(3) first up, mirror cut during beta's install", () =>
        assert.rejects(up({ continueOnError: true }), (e: Error) => {
          message = e.message;
          return true;
        }),
      );
    } finally {
      clearInterval(watcher);
    }
    firstUp = transcript.slice(seen);
    assert.ok(dropped, "beta's apt-get install was seen and its network cut");
    assert.match(
      message,
      /docker-host: error: apt-get install could not download the packages: the package mirror is unreachable/,
    );
    assert.match(message, /beta-install/, "the error names beta's install step");
    assert.match(firstUp, /alpha-configure created/, "alpha's steps all ran");
    assert.doesNotMatch(
      firstUp,
      /alpha-\S+ \*\*creating failed\*\*/,
      "none of alpha's steps failed",
    );
    // alpha, provisioned at the same time, serves mutual TLS.
    assert.equal(await tlsStatus(sandboxOf("alpha"), await bundleOf("alpha")), 200);
    // beta: no engine, no half-configured package, nothing listening on 2376.
    assert.equal(ssh(beta, "command -v dockerd || echo none").trim(), "none");
    assert.equal(ssh(beta, "dpkg --audit").trim(), "");
    assert.equal(ssh(beta, "ss -Htln sport = :2376").trim(), "");
  });

  it("(3) the mirror is back: the next up converges beta with no manual step and leaves alpha alone", async () => {
    const alpha = sandboxOf("alpha");
    const beta = sandboxOf("beta");
    iptables("-D", beta);
    const alphaBefore = dockerdSince(alpha);
    const result = await timed("(3) up after the mirror is back", up);
    assert.equal(result.summary.result, "succeeded");
    assert.equal(await tlsStatus(beta, await bundleOf("beta")), 200);
    assert.equal(dockerdSince(alpha), alphaBefore, "alpha's dockerd was not restarted");
    const outputs = await stack.outputs();
    assert.deepEqual(outputs.dockerHosts?.value, [
      `tcp://${alpha.host}:2376`,
      `tcp://${beta.host}:2376`,
    ]);
  });

  it("(8) the two hosts were provisioned in parallel and stay separate: own CA, own labels, each refuses the other's client", async () => {
    // Both install steps started before the first of them finished.
    const at = (pattern: RegExp) => firstUp.search(pattern);
    const alphaStart = at(/alpha-install creating/);
    const betaStart = at(/beta-install creating/);
    const alphaDone = at(/alpha-install created/);
    assert.ok(alphaStart >= 0 && betaStart >= 0 && alphaDone >= 0, "both install steps ran");
    assert.ok(
      Math.max(alphaStart, betaStart) < alphaDone,
      "beta's install started before alpha's finished",
    );
    const bundles = { alpha: await bundleOf("alpha"), beta: await bundleOf("beta") };
    assert.notEqual(bundles.alpha.ca, bundles.beta.ca, "each host has its own CA");
    for (const name of names) {
      const sb = sandboxOf(name);
      const own = bundles[name];
      const other = bundles[name === "alpha" ? "beta" : "alpha"];
      const labels = docker(`tcp://${sb.host}:2376`, own, ["info", "--format", "{{json .Labels}}"]);
      assert.deepEqual(
        (JSON.parse(labels) as string[]).filter((l) => l.startsWith("member=")),
        [`member=${name}`],
      );
      // The other host's client certificate, even trusting the right server CA, is refused.
      const crossed = await probe(sb.host, 2376, own.ca, { cert: other.cert, key: other.key });
      assert.ok(
        crossed.status === undefined,
        `${name} with the other's client: ${JSON.stringify(crossed)}`,
      );
    }
  });

  it("leaks no private key of either host into the state or anything printed, the failed run included", async () => {
    await assertNoKeyLeaks(
      stack,
      names,
      sandboxes.map((s) => s.privateKeyPath),
      transcript,
    );
  });
});

/** The PID of a sandbox's init (the child of its systemd-nspawn process), in the sandbox's namespaces. */
function initOf(sb: Sandbox): number {
  const children = readFileSync(`/proc/${String(sb.pid)}/task/${String(sb.pid)}/children`, "utf8");
  const init = Number(children.trim().split(/\s+/)[0]);
  assert.ok(init > 0, `the init process of sandbox ${sb.name}`);
  return init;
}

/** True while an `apt-get ... install` runs in the network namespace `netns` (a readlink of /proc/PID/ns/net). */
function aptInstallRunningIn(netns: string): boolean {
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (!args[0]?.endsWith("apt-get") || !args.includes("install")) continue;
      if (readlinkSync(`/proc/${pid}/ns/net`) === netns) return true;
    } catch {
      // the process ended while we looked
    }
  }
  return false;
}
