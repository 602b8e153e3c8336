import { Stack } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  asRoot,
  assertBootedAsRendered,
  assertConverged,
  BAD_YAML,
  Case,
  FAILING_SCRIPT,
  imageFiles,
  userPart,
  Variant,
  words,
} from "./helpers/cloudInit";
import { CLOUD_SOURCES, renderCloudMachines } from "./helpers/cloudUserData";
import { SeededSandbox, sandboxesDown, sandboxUpSeeded } from "./helpers/sandbox";
import { exampleStack, timed } from "./helpers/stack";

// The cloud sources' user data on a real cloud-init. No cloud is reachable here, but Debian 12 ships cloud-init
// (22.4) and its NoCloud datasource reads the user data, the meta-data and the SSH public keys from a seed: each
// cloud source's user data, rendered by the real DockerHost under Pulumi's mocks (helpers/cloudUserData.ts), boots
// a seeded sandbox (scripts/sandbox.sh up --seed: the cached cloud-init variant of the image, its own network
// namespace, the same cleanup). What this shows and what only a real cloud can show: docs/clouds.md.

/** Machines booted and driven at once: nine in parallel would overload the suite's two cores. */
const CONCURRENCY = 3;
const VARIANTS: Variant[] = ["none", "cloud-config", "script"];
const tag = { aws: "a", digitalocean: "d", azure: "z", gcp: "g", hetzner: "h" } as const;

describe("cloud sources' user data on a real cloud-init (seeded sandbox hosts)", function () {
  const prefix = `ci${String(process.pid % 1000)}`;
  const cases: Case[] = [];
  const stacks = new Map<string, Stack>();
  const transcripts = new Map<string, string>();
  const sandboxNames = new Set<string>();

  const byLabel = (label: string): Case => {
    const c = cases.find((x) => x.label === label);
    assert.ok(c, label);
    return c;
  };
  /** The source x variant cases: each is booted, converged, checked, updated and destroyed. */
  const machines = () => cases.filter((c) => VARIANTS.includes(c.variant as Variant));
  /**
   * Runs `fn` for every case, CONCURRENCY at a time (the machine has two cores), and fails with every case's
   * failure, not just the first.
   */
  async function eachCase(label: string, list: Case[], fn: (c: Case) => Promise<void>) {
    const failures: string[] = [];
    const queue = [...list];
    await timed(`${label}, ${String(list.length)} machines`, () =>
      Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
            const which = c;
            await fn(which).catch((e: unknown) => {
              const said = (transcripts.get(which.label) ?? "").trim().split("\n").slice(-15);
              failures.push(
                `${which.label}: ${e instanceof Error ? e.message : String(e)}\n  pulumi's last lines:\n    ${said.join("\n    ")}`,
              );
            });
          }
        }),
      ),
    );
    assert.deepEqual(failures, [], failures.join("\n\n"));
  }

  before(async function () {
    const requests = [
      ...CLOUD_SOURCES.flatMap((s) =>
        VARIANTS.map((v) => ({ label: `${s.source}/${v}`, source: s.source, variant: v })),
      ),
      { label: "aws/bad-yaml", source: "aws" as const, variant: "bad-yaml" as const },
      {
        label: "digitalocean/failing-script",
        source: "digitalocean" as const,
        variant: "failing-script" as const,
      },
    ].map((r, i) => {
      const name = `${prefix}${tag[r.source]}${String(i)}`;
      const part =
        r.variant === "bad-yaml"
          ? BAD_YAML
          : r.variant === "failing-script"
            ? FAILING_SCRIPT
            : userPart(r.variant, name);
      return { ...r, name, part };
    });
    const rendered = await timed("user data rendered by DockerHost under mocks", () =>
      Promise.resolve(
        renderCloudMachines(
          requests.map((r) => ({
            name: r.name,
            source: r.source,
            ...(r.part !== undefined ? { userPart: r.part } : {}),
          })),
        ),
      ),
    );
    for (const r of requests) {
      const machine = rendered.find((m) => m.name === r.name);
      assert.ok(machine, r.name);
      const keyPath = path.join(mkdtempSync(path.join(tmpdir(), "dh-login-")), "id");
      writeFileSync(keyPath, machine.privateKey, { mode: 0o600 });
      cases.push({
        label: r.label,
        source: r.source,
        variant: r.variant,
        machine,
        keyPath,
        ...(r.part !== undefined ? { part: r.part } : {}),
      });
    }
    // The login key the cloud hands over is the public half of the key DockerHost logs in with.
    for (const c of cases) {
      const derived = execFileSync("ssh-keygen", ["-y", "-f", c.keyPath], { encoding: "utf8" });
      assert.equal(words(c.machine.loginPublicKey), words(derived), c.label);
    }
  });

  after(async function () {
    for (const [name, stack] of stacks) {
      await stack.workspace.removeStack(name, { force: true }).catch(() => undefined);
    }
    await down([...sandboxNames]);
  });
  const down = async (names: string[]) => {
    await sandboxesDown(names);
    for (const name of names) sandboxNames.delete(name);
  };

  /** Boots the case's seeded sandbox; `slowFirstBoot` adds an image's own first-boot work to cloud-init's run. */
  function boot(c: Case, slowFirstBoot = false): SeededSandbox {
    const name = c.machine.name;
    sandboxNames.add(name);
    const sb = sandboxUpSeeded(name, {
      userData: c.machine.userData,
      metaData: [
        `instance-id: i-${name}`,
        `local-hostname: ${name}`,
        "public-keys:",
        `  - ${words(c.machine.loginPublicKey)}`,
        "",
      ].join("\n"),
      image: imageFiles(c.machine.user, slowFirstBoot),
    });
    c.sb = sb;
    c.login = {
      name,
      host: sb.host,
      port: 22,
      user: c.machine.user,
      privateKeyPath: c.keyPath,
      hostKey: c.machine.hostKey,
      pid: sb.pid,
      subnet: sb.subnet,
      iface: sb.iface,
    };
    return sb;
  }

  /** A stack of the existing-host example on the case's machine as the cloud's default user, pinned host key. */
  async function stackFor(c: Case): Promise<Stack> {
    assert.ok(c.sb);
    const name = `ci-${c.machine.name}`;
    const stack = await exampleStack("existing-host", name);
    stacks.set(name, stack);
    transcripts.set(c.label, "");
    await stack.setAllConfig({
      host: { value: c.sb.host },
      user: { value: c.machine.user },
      privateKeyPath: { value: c.keyPath },
      hostKey: { value: c.machine.hostKey },
      cleanupOnDelete: { value: "true" },
      labels: { value: JSON.stringify({ cloud: c.source }) },
    });
    return stack;
  }
  const record = (c: Case) => (s: string) => {
    transcripts.set(c.label, (transcripts.get(c.label) ?? "") + s);
  };
  const stackOf = (c: Case): Stack => {
    const stack = stacks.get(`ci-${c.machine.name}`);
    assert.ok(stack, c.label);
    return stack;
  };

  it("1. each source's user data, alone and with a cloud-config or a script part: only the pinned host key, the user's part ran beside DockerHost's; DockerHost converges as the cloud's default user through sudo to a mutual-TLS engine, after waiting for a running cloud-init", async () => {
    assert.equal(machines().length, CLOUD_SOURCES.length * VARIANTS.length);
    await eachCase("boot, first pulumi up, checks", machines(), async (c) => {
      // The image's own first-boot work keeps cloud-init busy for a while, as on a real cloud (Ubuntu's first
      // boot seeds snaps): pulumi up starts at once, as it would once the cloud's API has returned the VM.
      boot(c, true);
      const stack = await stackFor(c);
      const result = await timed(`${c.label}: first pulumi up`, () =>
        stack.up({ onOutput: record(c), color: "never" }),
      );
      assert.equal(result.summary.result, "succeeded");
      await assertBootedAsRendered(c);
      await assertConverged(c, stack);
    });
  });

  it("2. a second pulumi up runs no remote command", async () => {
    await eachCase("no-op pulumi up", machines(), async (c) => {
      const result = await stackOf(c).up({ onOutput: record(c), color: "never" });
      const changes = result.summary.resourceChanges ?? {};
      assert.deepEqual(
        Object.keys(changes).filter((k) => k !== "same"),
        [],
        JSON.stringify(changes),
      );
    });
  });

  it("3. destroy leaves nothing of DockerHost on the machine", async () => {
    await eachCase("pulumi destroy", machines(), async (c) => {
      const stack = stackOf(c);
      const result = await stack.destroy({ onOutput: record(c), color: "never" });
      assert.equal(result.summary.result, "succeeded");
      const exported = await stack.exportStack();
      assert.deepEqual(
        (exported.deployment as { resources?: unknown[] }).resources ?? [],
        [],
        "the stack is empty",
      );
      const leftovers = asRoot(
        c,
        "ls /etc/systemd/system/docker.service.d/50-docker-host.conf /etc/docker/docker-host 2>&1; cat /etc/docker/daemon.json 2>&1; ss -ltn 'sport = :2376' | tail -n +2; true",
      );
      assert.match(leftovers, /No such file or directory[\s\S]*No such file or directory/);
      assert.doesNotMatch(leftovers, /tlsverify|"hosts"|:2376/);
    });
    await down(machines().map((c) => c.machine.name));
  });

  it("4. a part cloud-init refuses fails the wait step with cloud-init's own lines, not a timeout", async () => {
    const bad = byLabel("aws/bad-yaml");
    const failing = byLabel("digitalocean/failing-script");
    const outcomes = await timed("two refused parts", () =>
      Promise.all(
        [bad, failing].map(async (c) => {
          boot(c);
          const stack = await stackFor(c);
          const start = Date.now();
          let message = "";
          await assert.rejects(stack.up({ onOutput: record(c), color: "never" }), (e: Error) => {
            message = e.message;
            return true;
          });
          return { c, stack, message, seconds: (Date.now() - start) / 1000 };
        }),
      ),
    );
    for (const { c, stack, message, seconds } of outcomes) {
      const said = [...new Set(message.split("\n").map((l) => l.trim()))].filter((l) =>
        /^(docker-host: |cloud-init: )/.test(l),
      );
      console.log(
        `      ${c.label}: failed after ${seconds.toFixed(1)} s; the wait step said\n${said
          .map((l) => `        ${l}`)
          .join("\n")}`,
      );
      assert.match(message, /sandbox-wait/, `${c.label}: the wait step failed`);
      assert.doesNotMatch(message, /did not finish within|deadline exceeded/, c.label);
      assert.ok(seconds < 240, `${c.label}: failed after ${seconds.toFixed(1)} s`);
      // No step after the wait was created: nothing was installed.
      const exported = await stack.exportStack();
      const resources = ((exported.deployment as { resources?: { urn: string }[] }).resources ?? [])
        .map((r) => r.urn)
        .filter((u) => /sandbox-(install|configure)$/.test(u));
      assert.deepEqual(resources, [], c.label);
      assert.match(asRoot(c, "command -v dockerd || echo none"), /none/);
    }
    const [badOut, failingOut] = outcomes.map((o) => o.message);
    assert.match(
      badOut ?? "",
      /cloud-init: .*Failed loading yaml blob\. Invalid format at line 2[\s\S]*cloud-init: .*Failed at merging in cloud config part from user-data[\s\S]*docker-host: error: cloud-init refused a cloud-config part of the user data/,
    );
    assert.match(
      failingOut ?? "",
      /cloud-init: \('scripts-user', RuntimeError\('Runparts: 1 failures \(user-data\)[\s\S]*cloud-init: dh-e2e: the database password file is missing[\s\S]*docker-host: error: cloud-init failed on this machine/,
    );
  });

  it("5. a non-root user without passwordless sudo fails in the wait step, saying so", async () => {
    // The machine of case 4 (its default user has passwordless sudo); a second user whose sudo asks a password,
    // as Debian's sudo group does, logging in with the same key.
    const c = byLabel("aws/bad-yaml");
    asRoot(
      c,
      "useradd -m -s /bin/bash -G sudo deploy && install -d -o deploy -m 0700 /home/deploy/.ssh && " +
        "install -o deploy -m 0600 /home/ubuntu/.ssh/authorized_keys /home/deploy/.ssh/authorized_keys",
    );
    const name = `ci-${c.machine.name}-nosudo`;
    const stack = await exampleStack("existing-host", name);
    stacks.set(name, stack);
    await stack.setAllConfig({
      host: { value: c.sb?.host ?? "" },
      user: { value: "deploy" },
      privateKeyPath: { value: c.keyPath },
      hostKey: { value: c.machine.hostKey },
    });
    let message = "";
    await assert.rejects(
      timed("no passwordless sudo", () => stack.up({ color: "never" })),
      (e: Error) => {
        message = e.message;
        return true;
      },
    );
    const said = [...new Set(message.split("\n").map((l) => l.trim()))].filter((l) =>
      /^(docker-host: error: |command:remote:Command \(sandbox-wait\))/.test(l),
    );
    console.log(`      what the user sees:\n${said.map((l) => `        ${l}`).join("\n")}`);
    assert.match(message, /sandbox-wait/);
    assert.match(
      message,
      /docker-host: error: the login user deploy cannot run commands as root without a password: DockerHost needs root or passwordless sudo/,
    );
    // Nothing ran as root: the step never started.
    assert.match(asRoot(c, "ls /etc/docker 2>&1 || true"), /No such file/);
  });
});
