import { Stack } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { hostsFromDeployment } from "../../cli/hosts";
import { notAfter, probe } from "../../cli/ls";
import { cliRunner, sandboxHostStack, teardown, upOk } from "./helpers/cli";
import { REPO, Sandbox } from "./helpers/sandbox";

// The docker-host CLI against a real stack: one sandbox, one `pulumi up` of examples/existing-host, then every
// command as a user runs it (the `docker-host` on PATH, in the project's directory), with the real docker CLI
// and the real ssh client.
describe("docker-host CLI against a provisioned stack (end to end)", function () {
  const sandboxName = `dhcli${String(process.pid % 1000)}`;
  const HOST = "web"; // the DockerHost's name (the example's `name` config)
  const PROJECT_DIR = path.join(REPO, "examples", "existing-host");
  let sb: Sandbox;
  let stack: Stack;
  let outputs: Record<string, string>;
  const { certsDir, cli, ok, bash } = cliRunner(() => stack, PROJECT_DIR);
  const certPath = path.join(certsDir, "existing-host", "cli", HOST);

  before(async function () {
    ({ sb, stack } = await sandboxHostStack(sandboxName, "cli", HOST));
    await upOk(stack, "pulumi up");
    const o = await stack.outputs();
    outputs = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v.value)]));
  });

  after(async function () {
    const made = stack as Stack | undefined; // undefined when the sandbox or the stack could not be made
    await made?.destroy({ color: "never" }).catch(() => undefined);
    await teardown(made, sandboxName, ["cli-empty"]);
  });

  // Docker Machine's formats, written out: PREFIX NAME DELIMITER VALUE SUFFIX, then the two hint lines.
  const formats: Record<string, { set: [string, string, string]; hint: (cmd: string) => string }> =
    {
      bash: {
        set: ["export ", '="', '"\n'],
        hint: (c) => `# Run this command to configure your shell: \n# eval $(${c})\n`,
      },
      zsh: {
        set: ["export ", '="', '"\n'],
        hint: (c) => `# Run this command to configure your shell: \n# eval $(${c})\n`,
      },
      fish: {
        set: ["set -gx ", ' "', '";\n'],
        hint: (c) => `# Run this command to configure your shell: \n# eval (${c})\n`,
      },
      powershell: {
        set: ["$Env:", ' = "', '"\n'],
        hint: (c) => `# Run this command to configure your shell: \n# & ${c} | Invoke-Expression\n`,
      },
      cmd: {
        set: ["SET ", "=", "\n"],
        hint: (c) =>
          `REM Run this command to configure your shell: \nREM \t@FOR /f "tokens=*" %i IN ('${c}') DO @%i\n`,
      },
      tcsh: {
        set: ["setenv ", ' "', '";\n'],
        hint: (c) => `: Run this command to configure your shell: \n: eval \`${c}\`\n`,
      },
      emacs: {
        set: ['(setenv "', '" "', '")\n'],
        hint: (c) =>
          `;; Run this command to configure your shell: \n;; (with-temp-buffer (shell-command "${c}" (current-buffer)) (eval-buffer))\n`,
      },
    };

  it("env, for every shell: exactly Docker Machine's lines, the bundle written 0700/0600", () => {
    for (const [shell, f] of Object.entries(formats)) {
      const [prefix, delimiter, suffix] = f.set;
      const line = (name: string, value: string) => `${prefix}${name}${delimiter}${value}${suffix}`;
      const expected =
        line("DOCKER_TLS_VERIFY", "1") +
        line("DOCKER_HOST", outputs.dockerHost ?? "") +
        line("DOCKER_CERT_PATH", certPath) +
        line("DOCKER_MACHINE_NAME", HOST) +
        f.hint(`docker-host env --shell ${shell}`);
      assert.equal(ok(["env", "--shell", shell]), expected, shell);
      // --no-proxy in every shell's syntax is pinned by the unit tests; here once per syntax family.
      if (!["bash", "fish", "cmd"].includes(shell)) continue;
      const withProxy = ok(["env", HOST, "--shell", shell, "--no-proxy"], {
        env: { NO_PROXY: "localhost" },
      });
      assert.ok(
        withProxy.includes(
          line("DOCKER_MACHINE_NAME", HOST) + line("NO_PROXY", `localhost,${sb.host}`),
        ),
        `${shell} --no-proxy: ${withProxy}`,
      );
    }
    assert.equal(statSync(certPath).mode & 0o777, 0o700);
    assert.equal(statSync(path.join(certPath, "key.pem")).mode & 0o777, 0o600);
    assert.equal(readFileSync(path.join(certPath, "ca.pem"), "utf8"), outputs.caCert);
    assert.equal(readFileSync(path.join(certPath, "cert.pem"), "utf8"), outputs.clientCert);
    assert.equal(readFileSync(path.join(certPath, "key.pem"), "utf8"), outputs.clientKey);
  });

  it("eval $(docker-host env) points the docker CLI at the host; env --unset undoes it", () => {
    assert.equal(
      bash('eval "$(docker-host env)"; docker version --format "{{.Server.Version}}"'),
      outputs.engineVersion,
    );
    assert.equal(
      bash(
        'eval "$(docker-host env)"; eval "$(docker-host env --unset)"; echo "${DOCKER_HOST:-unset}"',
      ),
      "unset",
    );
  });

  it("config: Docker Machine's flags, which the docker CLI accepts", () => {
    assert.equal(
      ok(["config", HOST]),
      `--tlsverify\n--tlscacert="${certPath}/ca.pem"\n--tlscert="${certPath}/cert.pem"\n` +
        `--tlskey="${certPath}/key.pem"\n-H=${outputs.dockerHost ?? ""}\n`,
    );
    assert.equal(
      // Docker Machine's documented use: the lines word-split into arguments.
      bash("docker $(docker-host config) version --format '{{.Server.Version}}'"),
      outputs.engineVersion,
    );
  });

  it("context: docker --context NAME version succeeds; again updates; --rm removes", () => {
    assert.match(ok(["context"]), new RegExp(`^docker context ${HOST} created: tcp://`));
    assert.equal(
      bash(`docker --context ${HOST} version --format "{{.Server.Version}}"`),
      outputs.engineVersion,
    );
    assert.match(ok(["context", HOST]), new RegExp(`^docker context ${HOST} updated`));
    assert.match(ok(["context", "--rm", HOST]), new RegExp(`^docker context ${HOST} removed`));
    assert.doesNotMatch(
      bash("docker context ls --format '{{.Name}}'"),
      new RegExp(`^${HOST}$`, "m"),
    );
  });

  it("ls: the host is Running, with its engine version and a year of certificates", () => {
    const r = cli(["ls"]);
    assert.equal(r.code, 0, r.stderr);
    const [header, row, ...rest] = r.stdout.trimEnd().split("\n");
    assert.match(
      header ?? "",
      /^NAME\s+ADDRESS\s+DOCKER_HOST\s+STATE\s+DOCKER\s+SERVER CERT\s+CLIENT CERT\s+IDENTITIES\s+ERRORS$/,
    );
    assert.deepEqual(rest, []);
    assert.deepEqual((row ?? "").split(/\s{2,}/), [
      HOST,
      sb.host,
      outputs.dockerHost,
      "Running",
      outputs.engineVersion,
      "364d",
      "364d",
      "-",
    ]);
    assert.equal(r.stderr, "", "no certificate warnings");
  });

  it("the stack records when the certificates end: the server's is the end of the one the engine presents", async () => {
    const [host] = hostsFromDeployment((await stack.exportStack()).deployment);
    assert.ok(host !== undefined);
    assert.deepEqual(host.missing, []);
    const found = await probe(host, 10_000);
    assert.equal(found.state, "Running", found.error);
    assert.equal(host.serverCertValidUntil?.toISOString(), found.serverNotAfter?.toISOString());
    assert.equal(
      host.clientCertValidUntil?.toISOString(),
      notAfter(host.clientCert)?.toISOString(),
    );
  });

  it("ssh: the remote command runs with the pinned host key; its exit code comes back", () => {
    assert.equal(ok(["ssh", HOST, "--", "cat", "/etc/hostname"]).trim(), sandboxName);
    assert.equal(cli(["ssh", "--", "exit", "3"]).code, 3);
  });

  it("errors scripts can rely on: 3 no such stack, 4 unknown name or no DockerHost, 2 bad usage", async () => {
    const noStack = cli(["--stack", "nope", "env"]);
    assert.equal(noStack.code, 3);
    assert.match(noStack.stderr, /no stack named 'nope' found/);
    const unknown = cli(["env", "db"]);
    assert.equal(unknown.code, 4);
    assert.match(unknown.stderr, new RegExp(`has no DockerHost named db \\(it has: ${HOST}\\)`));
    const elsewhere = cli(["--cwd", PROJECT_DIR, "ls"], { cwd: tmpdir() });
    assert.equal(elsewhere.code, 0, "--cwd finds the project from anywhere");
    await stack.workspace.createStack("cli-empty");
    await stack.workspace.selectStack("cli");
    const empty = cli(["--stack", "cli-empty", "env"]);
    assert.equal(empty.code, 4);
    assert.match(empty.stderr, /stack cli-empty has no DockerHost/);
    assert.equal(cli(["env", "--shell", "ksh"]).code, 2);
  });
});
