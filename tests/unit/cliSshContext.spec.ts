import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ExitCode } from "../../cli/errors";
import {
  sshConfigBlock,
  sshContextFiles,
  sshEndpoint,
  withInclude,
  withoutInclude,
} from "../../cli/sshContext";
import { deployment, dockerHostResources, secret } from "./helpers/checkpoint";
import { cliOn } from "./helpers/cli";
import { useFakeBin } from "./helpers/fakeBin";

// `context --ssh`: the docker CLI's ssh must check the pinned host key and use the stack's key. The real ssh
// client (`ssh -G`, which dials nothing) reads the configuration docker-host writes; a stand-in `ssh` points it
// at this test's config file instead of ~/.ssh/config, and a stand-in `docker` records what it was asked.

const ACCESS = {
  host: "203.0.113.10",
  port: 22,
  user: "root",
  privateKey: "KEY",
  hostKey: "ssh-ed25519 AAAAweb",
};

const FAKE_DOCKER = `#!/bin/sh
if [ "$1 $2" = "context inspect" ]; then exit 1; fi
printf '%s\\n' "$@" > "$DH_FAKE_DOCKER_LOG"
`;

describe("docker-host context --ssh: the pinned host key reaches the docker CLI's ssh", function () {
  this.timeout(30000);
  const home = mkdtempSync(path.join(tmpdir(), "dh-sshctx-home-"));
  const certsDir = path.join(home, "certs");
  const userConfig = path.join(home, ".ssh", "config");
  const dockerLog = path.join(home, "docker.log");
  const realSsh = execFileSync("sh", ["-c", "command -v ssh"], { encoding: "utf8" }).trim();
  const state = deployment(
    dockerHostResources("web", "203.0.113.10", {
      outputs: {
        clients: {
          alice: { cert: "ALICE", key: secret("ALICE-KEY"), caCert: "CA-web", validUntil: "" },
        },
      },
    }),
    dockerHostResources("dev", "198.51.100.7", {
      outputs: { sshUser: "deploy", sshPort: 2222 },
    }),
  );

  const bin = useFakeBin({ docker: FAKE_DOCKER }, { DH_FAKE_DOCKER_LOG: dockerLog });
  /** The stand-in ssh: the real client, reading `config` instead of ~/.ssh/config. */
  const fakeSsh = (config: string) => {
    writeFileSync(path.join(bin, "ssh"), `#!/bin/sh\nexec ${realSsh} -F "${config}" "$@"\n`);
    chmodSync(path.join(bin, "ssh"), 0o755);
  };

  const cli = (argv: string[]) =>
    cliOn(state, ["--certs-dir", certsDir, ...argv], { sshConfig: userConfig });

  it("endpoint ssh://USER@HOST, the port when it is not 22, IPv6 bracketed", () => {
    assert.equal(sshEndpoint(ACCESS), "ssh://root@203.0.113.10");
    assert.equal(
      sshEndpoint({ ...ACCESS, host: "2001:db8::7", port: 2222, user: "deploy" }),
      "ssh://deploy@[2001:db8::7]:2222",
    );
  });

  it("a Match block for exactly that login: the stack's key only, the pinned key only, strictly", () => {
    const files = sshContextFiles("/certs/app/prod/100% web");
    assert.equal(
      sshConfigBlock(ACCESS, files, "app/prod/web"),
      "# Written by docker-host context --ssh for app/prod/web; replaced on every run, removed by context --rm.\n" +
        "Match originalhost 203.0.113.10 user root\n" +
        '  IdentityFile "/certs/app/prod/100%% web/ssh/id"\n' +
        "  IdentitiesOnly yes\n" +
        '  UserKnownHostsFile "/certs/app/prod/100%% web/ssh/known_hosts"\n' +
        "  GlobalKnownHostsFile /dev/null\n" +
        "  StrictHostKeyChecking yes\n" +
        "  UpdateHostKeys no\n" +
        "  PasswordAuthentication no\n",
    );
  });

  it("its Include goes first in the user's config, once, and comes out again whole", () => {
    const mine = "Host *\n  StrictHostKeyChecking no\n";
    const once = withInclude(mine, "web", "app/prod/web", "/c/web/ssh/config");
    assert.equal(
      once,
      '# docker-host context web (app/prod/web): its pinned host key and login key\nInclude "/c/web/ssh/config"\n' +
        mine,
    );
    assert.equal(withInclude(once, "web", "app/prod/web", "/c/web/ssh/config"), once);
    const two = withInclude(once, "db", "app/prod/db", "/c/db/ssh/config");
    assert.deepEqual(withoutInclude(two, "web"), {
      text:
        '# docker-host context db (app/prod/db): its pinned host key and login key\nInclude "/c/db/ssh/config"\n' +
        mine,
      included: ["/c/web/ssh/config"],
    });
  });

  it("context --ssh: writes key and pin 0600, includes them, proves ssh applies them, then makes the context", async () => {
    fakeSsh(userConfig);
    const r = await cli(["context", "web", "--ssh"]);
    assert.equal(r.code, ExitCode.Ok, r.stderr);
    const files = sshContextFiles(path.join(certsDir, "app", "prod", "web"));
    assert.equal(
      r.stdout,
      "docker context web created: ssh://root@203.0.113.10 (ssh)\n" +
        `The pinned host key is enforced through ${userConfig} (Include ${files.config})\n` +
        "Use it: docker --context web ps (or docker context use web)\n",
    );
    assert.equal(r.stderr, "", "root needs no note about the docker group");
    assert.equal(readFileSync(files.key, "utf8"), "SSH-web\n");
    assert.equal(readFileSync(files.knownHosts, "utf8"), "203.0.113.10 ssh-ed25519 AAAAweb\n");
    for (const f of [files.key, files.knownHosts, files.config, userConfig])
      assert.equal(statSync(f).mode & 0o777, 0o600, f);
    assert.equal(statSync(path.dirname(files.key)).mode & 0o777, 0o700);
    assert.deepEqual(readFileSync(dockerLog, "utf8").split("\n").slice(0, 6), [
      "context",
      "create",
      "web",
      "--description",
      "docker-host app/prod/web (ssh)",
      "--docker",
    ]);
    assert.match(readFileSync(dockerLog, "utf8"), /^host=ssh:\/\/root@203\.0\.113\.10$/m);
    // The real ssh, for that login: our key and pin, strictly; for another host, none of it.
    const g = (host: string) =>
      execFileSync(realSsh, ["-F", userConfig, "-G", "-l", "root", "--", host], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
    assert.match(g("203.0.113.10"), new RegExp(`^userknownhostsfile ${files.knownHosts}$`, "m"));
    assert.match(g("203.0.113.10"), /^stricthostkeychecking true$/m);
    assert.doesNotMatch(g("192.0.2.1"), new RegExp(files.knownHosts));
  });

  it("another user and port: the endpoint carries the port, the known_hosts line [host]:port, a note on the docker group", async () => {
    fakeSsh(userConfig);
    const r = await cli(["context", "dev", "--ssh"]);
    assert.equal(r.code, ExitCode.Ok, r.stderr);
    assert.match(
      r.stdout,
      /^docker context dev created: ssh:\/\/deploy@198\.51\.100\.7:2222 \(ssh\)$/m,
    );
    const files = sshContextFiles(path.join(certsDir, "app", "prod", "dev"));
    assert.equal(
      readFileSync(files.knownHosts, "utf8"),
      "[198.51.100.7]:2222 ssh-ed25519 AAAAdev\n",
    );
    assert.equal(
      r.stderr,
      "note: deploy must be allowed to use the engine's socket on the host (the docker group): docker-host ssh dev -- sudo usermod -aG docker deploy\n",
    );
  });

  it("refuses when ssh would not apply the pin (exit 1), and creates no context", async () => {
    fakeSsh("/dev/null"); // an ssh that reads none of it
    writeFileSync(dockerLog, "");
    const r = await cli(["context", "web", "--ssh"]);
    assert.equal(r.code, ExitCode.Failure);
    assert.match(
      r.stderr,
      /^docker-host: ssh does not apply docker-host's settings for root@203\.0\.113\.10 \(ssh -G shows no UserKnownHostsFile, IdentityFile, StrictHostKeyChecking yes of docker-host's\)/,
    );
    assert.equal(readFileSync(dockerLog, "utf8"), "", "docker was not asked");
  });

  it("context --client NAME: the identity's bundle as the context's TLS material, the name in its description", async () => {
    const r = await cli(["context", "web", "--client", "alice"]);
    assert.equal(r.code, ExitCode.Ok, r.stderr);
    assert.match(
      r.stdout,
      /^docker context web created: tcp:\/\/203\.0\.113\.10:2376 \(client alice\)$/m,
    );
    const dir = path.join(certsDir, "app", "prod", "web", "clients", "alice");
    const args = readFileSync(dockerLog, "utf8").split("\n");
    assert.deepEqual(args.slice(3, 7), [
      "--description",
      "docker-host app/prod/web (client alice)",
      "--docker",
      `host=tcp://203.0.113.10:2376,ca=${dir}/ca.pem,cert=${dir}/cert.pem,key=${dir}/key.pem`,
    ]);
    assert.equal(readFileSync(path.join(dir, "key.pem"), "utf8"), "ALICE-KEY");
  });

  it("context --rm NAME: removes the Include lines and the files, leaving the rest of the config", async () => {
    const files = sshContextFiles(path.join(certsDir, "app", "prod", "web"));
    const r = await cli(["context", "--rm", "web"]);
    assert.equal(r.code, ExitCode.Ok, r.stderr);
    assert.equal(
      r.stdout,
      `no docker context web: nothing to remove\nits Include lines removed from ${userConfig}\n`,
    );
    assert.doesNotMatch(readFileSync(userConfig, "utf8"), /context web /);
    assert.match(readFileSync(userConfig, "utf8"), /context dev /);
    for (const f of [files.key, files.knownHosts, files.config]) assert.equal(existsSync(f), false);
  });
});
