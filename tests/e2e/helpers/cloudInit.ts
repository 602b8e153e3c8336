import { Stack } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { quote } from "shell-quote";
import { CloudSource, RenderedMachine } from "./cloudUserData";
import { Bundle, docker, probe, writeBundle } from "./docker";
import { Sandbox, SeededSandbox, ssh } from "./sandbox";

// What cloudInit.e2e.ts gives and checks on each seeded machine: the user's parts of the user data, the suite's
// cases, the cloud's image files, and the checks once the machine has booted and DockerHost has converged.

export type Variant = "none" | "cloud-config" | "script";

/** The user's own part of each variant; its markers name the machine, so each proves its own host ran it. */
export function userPart(variant: Variant, name: string): string | undefined {
  switch (variant) {
    case "none":
      return undefined;
    case "cloud-config":
      return [
        "#cloud-config",
        "write_files:",
        "  - path: /var/lib/dh-e2e/cloud-config-marker",
        `    content: "cloud-config part of ${name}\\n"`,
        "runcmd:",
        '  - [sh, -c, "id -un > /var/lib/dh-e2e/runcmd-ran-as"]',
        "",
      ].join("\n");
    case "script":
      return [
        "#!/bin/sh",
        "set -e",
        "mkdir -p /var/lib/dh-e2e",
        `echo "script part of ${name} ran as $(id -un)" > /var/lib/dh-e2e/script-marker`,
        "",
      ].join("\n");
  }
}

/** Parts cloud-init refuses although DockerHost merges them: YAML it cannot read, a script that fails. */
export const BAD_YAML = "#cloud-config\nruncmd: [ unclosed\n";
export const FAILING_SCRIPT =
  "#!/bin/sh\necho 'dh-e2e: the database password file is missing' >&2\nexit 3\n";

/** One seeded machine of the suite: what the source rendered, and the sandbox playing its VM. */
export interface Case {
  label: string;
  source: CloudSource["source"];
  variant: Variant | "bad-yaml" | "failing-script";
  part?: string;
  machine: RenderedMachine;
  sb?: SeededSandbox;
  /** The login as the cloud's default user with the pinned host key. */
  login?: Sandbox;
  keyPath: string;
}

/** A command as root on the case's machine: directly when the cloud logs in as root, else through sudo. */
export function asRoot(c: Case, command: string): string {
  assert.ok(c.login, `${c.label} is booted`);
  return ssh(c.login, c.machine.user === "root" ? command : `sudo -n sh -c ${quote([command])}`);
}

/** Waits until SSH answers with the pinned key and cloud-init is done; returns `cloud-init status --long`. */
async function cloudInitDone(c: Case): Promise<string> {
  assert.ok(c.login && c.sb);
  let last = "";
  for (let i = 0; i < 60; i++) {
    try {
      return ssh(c.login, "cloud-init status --wait --long; true");
    } catch (e) {
      last = String(e);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  const consoleLog = readFileSync(c.sb.console, "utf8").split("\n").slice(-20).join("\n");
  assert.fail(`${c.label}: no SSH login with the pinned key in 2 minutes: ${last}\n${consoleLog}`);
}

/** What every DockerHost cloud machine must show once cloud-init is done. */
export async function assertBootedAsRendered(c: Case): Promise<void> {
  assert.ok(c.sb);
  const status = await cloudInitDone(c);
  assert.match(status, /^status: done$/m, `${c.label}: ${status}`);
  // sshd offers exactly the pinned key, whatever key type a client asks for: the image's RSA and ECDSA keys
  // (made before boot, as an image may carry them) are deleted and no other is generated.
  const scanned = execFileSync(
    "ssh-keyscan",
    ["-T", "10", "-t", "rsa,ecdsa,ed25519", "-p", "22", c.sb.host],
    { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
  )
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"));
  assert.deepEqual(scanned, [`${c.sb.host} ${c.machine.hostKey}`], c.label);
  assert.deepEqual(
    asRoot(c, "ls /etc/ssh/ | grep ^ssh_host_").trim().split("\n"),
    ["ssh_host_ed25519_key", "ssh_host_ed25519_key.pub"],
    c.label,
  );
  // cloud-init got the user data byte for byte as the source rendered it.
  assert.ok(
    asRoot(c, "cat /var/lib/cloud/instance/user-data.txt") === c.machine.userData,
    `${c.label}: the user data cloud-init read is the rendered one`,
  );
  // DockerHost's part and the user's are both in the merged config; the user's part ran and kept its content.
  const merged = asRoot(c, "cat /var/lib/cloud/instance/cloud-config.txt");
  const from = merged.split("\n").filter((l) => /^# (docker-host\.cfg|user-data)$/.test(l));
  assert.match(merged, /^ssh_keys:$/m, c.label);
  const ran = (file: string) => asRoot(c, `cat /var/lib/dh-e2e/${file} 2>&1 || true`);
  switch (c.variant) {
    case "none":
      // Plain #cloud-config user data: one part, DockerHost's, which cloud-init names itself.
      assert.match(merged, /^# from 1 files$/m, c.label);
      assert.deepEqual(from, [], c.label);
      assert.match(ran("*"), /No such file/, c.label);
      break;
    case "cloud-config":
      assert.deepEqual(from, ["# docker-host.cfg", "# user-data"], c.label);
      assert.match(merged, /^write_files:$/m, c.label);
      assert.match(merged, /^runcmd:$/m, c.label);
      assert.equal(ran("cloud-config-marker"), `cloud-config part of ${c.machine.name}\n`);
      assert.equal(ran("runcmd-ran-as"), "root\n");
      break;
    case "script":
      assert.deepEqual(from, ["# docker-host.cfg"], c.label);
      assert.equal(
        asRoot(c, "cat /var/lib/cloud/instance/scripts/user-data"),
        c.part,
        `${c.label}: the script part is kept exactly`,
      );
      assert.equal(ran("script-marker"), `script part of ${c.machine.name} ran as root\n`);
      break;
    default:
      assert.fail(c.variant);
  }
  // cloud-init complained about nothing but its schema check (see docs/clouds.md): no part was refused, no
  // module failed. The schema errors are DockerHost's own ssh_genkeytypes: [] only, never the user's part.
  const warnings = asRoot(c, "grep -E '\\[(WARNING|ERROR)\\]' /var/log/cloud-init.log || true")
    .split("\n")
    .filter((l) => l !== "");
  for (const w of warnings) assert.match(w, /schema\.py\[WARNING\]: Invalid cloud-config/, w);
  const schema = asRoot(c, "cloud-init schema --system 2>&1 || true");
  const errors = /schema errors: (.*)/.exec(schema)?.[1]?.split(", ") ?? [];
  for (const e of errors) assert.equal(e, "ssh_genkeytypes: [] is too short", c.label);
}

/** DockerHost's engine on the case's machine, over mutual TLS; how the steps ran. */
export async function assertConverged(c: Case, stack: Stack): Promise<void> {
  const outputs = Object.fromEntries(
    Object.entries(await stack.outputs()).map(([k, v]) => [k, String(v.value)]),
  );
  const bundle: Bundle = writeBundle(
    outputs.caCert ?? "",
    outputs.clientCert ?? "",
    outputs.clientKey ?? "",
  );
  const dockerHost = outputs.dockerHost ?? "";
  assert.equal(dockerHost, `tcp://${c.sb?.host ?? ""}:2376`);
  assert.equal(
    docker(dockerHost, bundle, ["version", "--format", "{{.Server.Version}}"]),
    outputs.engineVersion,
  );
  assert.match(
    docker(dockerHost, bundle, ["info", "--format", "{{json .Labels}}"]),
    new RegExp(`"cloud=${c.source}"`),
  );
  const noCert = await probe(c.sb?.host ?? "", 2376, bundle.ca);
  assert.ok(noCert.status === undefined, "a client without a certificate is refused");
  // The wait step found cloud-init still running, waited for it, and went on once it was done.
  const waitOut = await stepStdout(stack, "sandbox-wait");
  console.log(
    `      ${c.label}: the wait step said\n${waitOut
      .split("\n")
      .filter((l) => l.startsWith("docker-host:"))
      .map((l) => `        ${l}`)
      .join("\n")}`,
  );
  assert.match(waitOut, /waiting for cloud-init to finish \(cloud-init status: running\)/);
  assert.match(waitOut, /cloud-init finished/);
  // Every step ran as the cloud's default user; as root through sudo unless that user is root.
  const logins = asRoot(
    c,
    "journalctl -o cat _COMM=sshd | grep -o 'Accepted publickey for [a-z]*' | sort -u",
  );
  assert.equal(logins.trim(), `Accepted publickey for ${c.machine.user}`);
  if (c.machine.user !== "root") {
    // sudo logs each command it ran for the user (long ones in several lines): the step's name ends it.
    const sudo = asRoot(
      c,
      "journalctl -o cat _COMM=sudo | grep -oE 'docker-host-(wait|install|configure)$' | sort -u",
    );
    assert.deepEqual(
      sudo.trim().split("\n"),
      ["docker-host-configure", "docker-host-install", "docker-host-wait"],
      "the steps ran through sudo",
    );
  }
  assert.equal(
    asRoot(c, "stat -c '%a %U' /etc/docker/docker-host/server-key.pem").trim(),
    "600 root",
  );
}

/** The first two words of an OpenSSH public key line (type and key, no comment). */
export function words(key: string): string {
  return key.trim().split(/\s+/).slice(0, 2).join(" ");
}

/** What the cloud's image configures for cloud-init: its default user; optionally some first-boot work. */
export function imageFiles(
  user: string,
  slowFirstBoot: boolean,
): Record<string, { content: string; mode?: number }> {
  const cfg =
    user === "root"
      ? // DigitalOcean: the keys go to root, there is no other login.
        "# The cloud's image: root logs in with the keys the cloud hands over.\ndisable_root: false\nusers: []\n"
      : // AWS (ubuntu), Azure (the admin user): Debian's default user entry, which has passwordless sudo.
        `# The cloud's image: its default user, with passwordless sudo.\nsystem_info:\n  default_user:\n    name: ${user}\n`;
  return {
    "/etc/cloud/cloud.cfg.d/90_cloud-image.cfg": { content: cfg },
    ...(slowFirstBoot
      ? {
          "/var/lib/cloud/scripts/per-instance/50-first-boot-work": {
            content:
              "#!/bin/sh\n# The image's own first-boot work (Ubuntu seeds its snaps): cloud-init runs a while longer.\nsleep 30\n",
            mode: 0o755,
          },
        }
      : {}),
  };
}

/** The stdout a remote step printed, from the stack's state. */
async function stepStdout(stack: Stack, name: string): Promise<string> {
  const exported = await stack.exportStack();
  const resources =
    (exported.deployment as { resources?: { urn: string; outputs?: { stdout?: unknown } }[] })
      .resources ?? [];
  const step = resources.find((r) => r.urn.endsWith(`::${name}`));
  assert.ok(step, `${name} is in the state`);
  const stdout = step.outputs?.stdout;
  if (typeof stdout === "string") return stdout;
  // exportStack decrypts secrets but keeps their envelope, the value JSON-encoded.
  const plaintext = (stdout as { plaintext?: string } | undefined)?.plaintext;
  assert.ok(plaintext !== undefined, `${name}'s stdout: ${JSON.stringify(stdout)}`);
  return String(JSON.parse(plaintext));
}
