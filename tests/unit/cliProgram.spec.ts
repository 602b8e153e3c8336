import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ExitCode } from "../../cli/errors";
import { programName } from "../../cli/main";
import { Io, run } from "../../cli/program";

const ROOT = path.join(__dirname, "..", "..");

/** Runs the program in-process, collecting its output. */
async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env,
    program: ["docker-host"],
    version: "0.1.0",
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

describe("docker-host: command line and exit codes", function () {
  this.timeout(30000);

  it("--help on the program and on every command, exit 0", async () => {
    const top = await cli(["--help"]);
    assert.equal(top.code, ExitCode.Ok);
    for (const command of [
      "env",
      "config",
      "context",
      "ls",
      "ssh",
      "scp",
      "ip",
      "url",
      "status",
      "active",
      "inspect",
    ]) {
      assert.match(top.stdout, new RegExp(`^  ${command} `, "m"), `${command} is listed`);
      const help = await cli([command, "--help"]);
      assert.equal(help.code, ExitCode.Ok, command);
      assert.match(help.stdout, new RegExp(`^Usage: docker-host ${command} `), command);
      assert.match(help.stdout, /Global Options:[\s\S]*--stack <stack>[\s\S]*--cwd <dir>/, command);
    }
    assert.match(top.stdout, /Exit codes: 0 done, 1 failure, 2 bad command line, 3 no such stack/);
    assert.match((await cli(["ssh", "--help"])).stdout, /\[-- COMMAND\.\.\.\]/);
  });

  it("--version prints the package's version", async () => {
    const r = await cli(["--version"]);
    assert.equal(r.code, ExitCode.Ok);
    assert.equal(r.stdout, "0.1.0\n");
  });

  it("exit 2 for a bad command line, with commander's message", async () => {
    const cases: [string[], RegExp][] = [
      [[], /Usage: docker-host/],
      [["bogus"], /unknown command 'bogus'/],
      [
        ["env", "--shell", "ksh"],
        /argument 'ksh' is invalid\. Allowed choices are bash, zsh, fish, powershell, cmd, tcsh, emacs/,
      ],
      [["env", "a", "b"], /too many arguments for 'env'/],
      [["env", "--bogus"], /unknown option '--bogus'/],
      [["ls", "--timeout", "0"], /argument '0' is invalid/],
      [["env", "--unset", "web"], /env --unset takes no NAME/],
      [["env", "web", "--", "x"], /only ssh takes a command after --/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(argv);
      assert.equal(r.code, ExitCode.Usage, argv.join(" "));
      assert.match(r.stderr, message, argv.join(" "));
    }
  });

  it("env --unset needs no stack: exact output, hint with the command line", async () => {
    const r = await cli(["env", "--unset", "--shell", "fish"]);
    assert.equal(r.code, ExitCode.Ok, r.stderr);
    assert.equal(
      r.stdout,
      "set -e DOCKER_TLS_VERIFY;\nset -e DOCKER_HOST;\nset -e DOCKER_CERT_PATH;\nset -e DOCKER_MACHINE_NAME;\n" +
        "# Run this command to configure your shell: \n# eval (docker-host env --unset --shell fish)\n",
    );
    const detected = await cli(["env", "-u", "--no-proxy"], {
      SHELL: "/bin/tcsh",
      no_proxy: "localhost",
    });
    assert.match(
      detected.stdout,
      /^unsetenv DOCKER_TLS_VERIFY;\n[\s\S]*unsetenv no_proxy;\n: Run this command/,
    );
  });

  it("exit 3 when --cwd holds no Pulumi project, before asking the Pulumi CLI anything", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "dh-cli-empty-"));
    for (const command of [
      ["env"],
      ["config"],
      ["context"],
      ["ls"],
      ["ssh"],
      ["context", "--rm"],
    ]) {
      const r = await cli(["--cwd", empty, ...command]);
      assert.equal(r.code, ExitCode.Stack, command.join(" "));
      assert.match(
        r.stderr,
        /^docker-host: no Pulumi project in .+ \(no Pulumi\.yaml\)/,
        command.join(" "),
      );
    }
  });

  it("shows the name the user typed in the hint: the base name when PATH finds the same file, npx under npx", () => {
    const bin = path.join(ROOT, "bin");
    const shim = path.join(bin, "docker-host");
    assert.deepEqual(programName(shim, `/nowhere:${bin}`), ["docker-host"]);
    assert.deepEqual(programName(shim, "/usr/bin"), [shim]);
    assert.deepEqual(programName("docker-host", undefined), ["docker-host"]);
    assert.deepEqual(programName(undefined, undefined), ["docker-host"]);
    assert.deepEqual(programName(shim, bin, "exec"), ["npx", "docker-host"]);
  });

  it("package.json's bin is the compiled CLI; it and the repository's shim pass the exit code through", function () {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      bin?: Record<string, string>;
    };
    assert.equal(manifest.bin?.["docker-host"], "dist/cli/main.js");
    const compiled = path.join(ROOT, "dist", "cli", "main.js");
    if (!existsSync(compiled)) {
      console.log("      skipped: no build (dist/cli/main.js); run `npm run build` first");
      this.skip();
    }
    assert.match(readFileSync(compiled, "utf8"), /^#!\/usr\/bin\/env node\n/);
    const env = {
      ...process.env,
      PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ""}`,
    };
    for (const command of [[process.execPath, compiled], [path.join(ROOT, "bin", "docker-host")]]) {
      const [file = "", ...first] = command;
      const ok = spawnSync(file, [...first, "--version"], {
        env,
        encoding: "utf8",
        timeout: 20000,
      });
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /^\d+\.\d+\.\d+\n$/);
      const bad = spawnSync(file, [...first, "bogus"], { env, encoding: "utf8", timeout: 20000 });
      assert.equal(bad.status, ExitCode.Usage);
    }
  });

  it("the executable wrappers are shellcheck-clean", () => {
    const r = spawnSync(
      "shellcheck",
      [
        path.join(ROOT, "bin", "docker-host"),
        path.join(ROOT, "bin", "pulumi-resource-docker-host"),
      ],
      { encoding: "utf8" },
    );
    assert.equal(r.error, undefined, "shellcheck is installed (the test command installs it)");
    assert.equal(r.status, 0, r.stdout);
  });
});
