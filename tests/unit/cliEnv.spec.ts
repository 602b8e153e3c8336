import * as assert from "node:assert/strict";
import {
  detectShell,
  goQuote,
  noProxySetting,
  renderConfig,
  renderEnv,
  renderUnset,
  Shell,
  SHELLS,
  usageHint,
} from "../../cli/env";

// The expected texts are Docker Machine's (commands/env.go, config.go), written out by hand: a change to the
// formatters shows up here as a diff against what docker-machine printed.
const settings = {
  dockerHost: "tcp://203.0.113.10:2376",
  certPath: "/home/me/.docker/docker-host/app/prod/web",
  machineName: "web",
};
const argv = ["docker-host", "env", "web"];

const SET: Record<Shell, string> = {
  bash: `export DOCKER_TLS_VERIFY="1"
export DOCKER_HOST="tcp://203.0.113.10:2376"
export DOCKER_CERT_PATH="/home/me/.docker/docker-host/app/prod/web"
export DOCKER_MACHINE_NAME="web"
# Run this command to configure your shell: 
# eval $(docker-host env web)
`,
  zsh: `export DOCKER_TLS_VERIFY="1"
export DOCKER_HOST="tcp://203.0.113.10:2376"
export DOCKER_CERT_PATH="/home/me/.docker/docker-host/app/prod/web"
export DOCKER_MACHINE_NAME="web"
# Run this command to configure your shell: 
# eval $(docker-host env web)
`,
  fish: `set -gx DOCKER_TLS_VERIFY "1";
set -gx DOCKER_HOST "tcp://203.0.113.10:2376";
set -gx DOCKER_CERT_PATH "/home/me/.docker/docker-host/app/prod/web";
set -gx DOCKER_MACHINE_NAME "web";
# Run this command to configure your shell: 
# eval (docker-host env web)
`,
  powershell: `$Env:DOCKER_TLS_VERIFY = "1"
$Env:DOCKER_HOST = "tcp://203.0.113.10:2376"
$Env:DOCKER_CERT_PATH = "/home/me/.docker/docker-host/app/prod/web"
$Env:DOCKER_MACHINE_NAME = "web"
# Run this command to configure your shell: 
# & docker-host env web | Invoke-Expression
`,
  cmd: `SET DOCKER_TLS_VERIFY=1
SET DOCKER_HOST=tcp://203.0.113.10:2376
SET DOCKER_CERT_PATH=/home/me/.docker/docker-host/app/prod/web
SET DOCKER_MACHINE_NAME=web
REM Run this command to configure your shell: 
REM \t@FOR /f "tokens=*" %i IN ('docker-host env web') DO @%i
`,
  tcsh: `setenv DOCKER_TLS_VERIFY "1";
setenv DOCKER_HOST "tcp://203.0.113.10:2376";
setenv DOCKER_CERT_PATH "/home/me/.docker/docker-host/app/prod/web";
setenv DOCKER_MACHINE_NAME "web";
: Run this command to configure your shell: 
: eval \`docker-host env web\`
`,
  emacs: `(setenv "DOCKER_TLS_VERIFY" "1")
(setenv "DOCKER_HOST" "tcp://203.0.113.10:2376")
(setenv "DOCKER_CERT_PATH" "/home/me/.docker/docker-host/app/prod/web")
(setenv "DOCKER_MACHINE_NAME" "web")
;; Run this command to configure your shell: 
;; (with-temp-buffer (shell-command "docker-host env web" (current-buffer)) (eval-buffer))
`,
};

const unsetArgv = ["docker-host", "env", "--unset"];
const UNSET: Record<Shell, string> = {
  bash: `unset DOCKER_TLS_VERIFY
unset DOCKER_HOST
unset DOCKER_CERT_PATH
unset DOCKER_MACHINE_NAME
# Run this command to configure your shell: 
# eval $(docker-host env --unset)
`,
  zsh: `unset DOCKER_TLS_VERIFY
unset DOCKER_HOST
unset DOCKER_CERT_PATH
unset DOCKER_MACHINE_NAME
# Run this command to configure your shell: 
# eval $(docker-host env --unset)
`,
  fish: `set -e DOCKER_TLS_VERIFY;
set -e DOCKER_HOST;
set -e DOCKER_CERT_PATH;
set -e DOCKER_MACHINE_NAME;
# Run this command to configure your shell: 
# eval (docker-host env --unset)
`,
  powershell: `Remove-Item Env:\\\\DOCKER_TLS_VERIFY
Remove-Item Env:\\\\DOCKER_HOST
Remove-Item Env:\\\\DOCKER_CERT_PATH
Remove-Item Env:\\\\DOCKER_MACHINE_NAME
# Run this command to configure your shell: 
# & docker-host env --unset | Invoke-Expression
`,
  cmd: `SET DOCKER_TLS_VERIFY=
SET DOCKER_HOST=
SET DOCKER_CERT_PATH=
SET DOCKER_MACHINE_NAME=
REM Run this command to configure your shell: 
REM \t@FOR /f "tokens=*" %i IN ('docker-host env --unset') DO @%i
`,
  tcsh: `unsetenv DOCKER_TLS_VERIFY;
unsetenv DOCKER_HOST;
unsetenv DOCKER_CERT_PATH;
unsetenv DOCKER_MACHINE_NAME;
: Run this command to configure your shell: 
: eval \`docker-host env --unset\`
`,
  emacs: `(setenv "DOCKER_TLS_VERIFY" nil)
(setenv "DOCKER_HOST" nil)
(setenv "DOCKER_CERT_PATH" nil)
(setenv "DOCKER_MACHINE_NAME" nil)
;; Run this command to configure your shell: 
;; (with-temp-buffer (shell-command "docker-host env --unset" (current-buffer)) (eval-buffer))
`,
};

/** The line a shell's syntax gives NO_PROXY, set and unset, for the --no-proxy cases. */
const NO_PROXY_SET: Record<Shell, string> = {
  bash: 'export NO_PROXY="203.0.113.10"\n',
  zsh: 'export NO_PROXY="203.0.113.10"\n',
  fish: 'set -gx NO_PROXY "203.0.113.10";\n',
  powershell: '$Env:NO_PROXY = "203.0.113.10"\n',
  cmd: "SET NO_PROXY=203.0.113.10\n",
  tcsh: 'setenv NO_PROXY "203.0.113.10";\n',
  emacs: '(setenv "NO_PROXY" "203.0.113.10")\n',
};
const NO_PROXY_UNSET: Record<Shell, string> = {
  bash: "unset NO_PROXY\n",
  zsh: "unset NO_PROXY\n",
  fish: "set -e NO_PROXY;\n",
  powershell: "Remove-Item Env:\\\\NO_PROXY\n",
  cmd: "SET NO_PROXY=\n",
  tcsh: "unsetenv NO_PROXY;\n",
  emacs: '(setenv "NO_PROXY" nil)\n',
};

/** Inserts a line before the two hint lines. */
function beforeHint(text: string, line: string): string {
  const lines = text.split("\n");
  return [...lines.slice(0, 4), line.replace(/\n$/, ""), ...lines.slice(4)].join("\n");
}

describe("docker-host env: Docker Machine's output, shell by shell", () => {
  it("covers exactly the shells of the issue", () => {
    assert.deepEqual([...SHELLS], ["bash", "zsh", "fish", "powershell", "cmd", "tcsh", "emacs"]);
  });

  for (const shell of SHELLS) {
    describe(shell, () => {
      it("sets the four variables, then the usage hint", () => {
        assert.equal(renderEnv(shell, settings, usageHint(shell, argv)), SET[shell]);
      });

      it("--unset unsets them", () => {
        assert.equal(renderUnset(shell, undefined, usageHint(shell, unsetArgv)), UNSET[shell]);
      });

      it("--no-proxy adds the proxy exception after DOCKER_MACHINE_NAME", () => {
        const noProxy = noProxySetting({}, "203.0.113.10");
        const hint = usageHint(shell, [...argv, "--no-proxy"]);
        assert.equal(
          renderEnv(shell, { ...settings, noProxy }, hint),
          beforeHint(SET[shell], NO_PROXY_SET[shell]).replace(" env web", " env web --no-proxy"),
        );
      });

      it("--unset --no-proxy unsets the proxy exception too", () => {
        const hint = usageHint(shell, [...unsetArgv, "--no-proxy"]);
        assert.equal(
          renderUnset(shell, "NO_PROXY", hint),
          beforeHint(UNSET[shell], NO_PROXY_UNSET[shell]).replace(
            " env --unset",
            " env --unset --no-proxy",
          ),
        );
      });
    });
  }

  it("adds COMPOSE_CONVERT_WINDOWS_PATHS before the proxy line, as on Windows", () => {
    const out = renderEnv(
      "cmd",
      {
        ...settings,
        composeConvertWindowsPaths: true,
        noProxy: { name: "NO_PROXY", value: "203.0.113.10" },
      },
      "",
    );
    assert.match(
      out,
      /SET DOCKER_MACHINE_NAME=web\nSET COMPOSE_CONVERT_WINDOWS_PATHS=true\nSET NO_PROXY=203\.0\.113\.10\n$/,
    );
  });

  describe("--no-proxy's variable and value", () => {
    it("uses no_proxy when it is set, appending the address", () => {
      assert.deepEqual(noProxySetting({ no_proxy: "localhost", NO_PROXY: "x" }, "10.0.0.1"), {
        name: "no_proxy",
        value: "localhost,10.0.0.1",
      });
    });
    it("else NO_PROXY, appending the address", () => {
      assert.deepEqual(noProxySetting({ NO_PROXY: "localhost,.corp" }, "10.0.0.1"), {
        name: "NO_PROXY",
        value: "localhost,.corp,10.0.0.1",
      });
    });
    it("an empty no_proxy counts as unset", () => {
      assert.deepEqual(noProxySetting({ no_proxy: "", NO_PROXY: "a" }, "10.0.0.1"), {
        name: "NO_PROXY",
        value: "a,10.0.0.1",
      });
    });
    it("adds the address once (idempotent), comparing whole entries", () => {
      assert.deepEqual(noProxySetting({ NO_PROXY: "a,10.0.0.1" }, "10.0.0.1"), {
        name: "NO_PROXY",
        value: "a,10.0.0.1",
      });
      assert.deepEqual(noProxySetting({ NO_PROXY: "10.0.0.10" }, "10.0.0.1"), {
        name: "NO_PROXY",
        value: "10.0.0.10,10.0.0.1",
      });
    });
  });

  describe("usage hint", () => {
    it("repeats the whole command line, options included", () => {
      assert.equal(
        usageHint("bash", ["docker-host", "--stack", "prod", "env", "web", "--shell", "bash"]),
        "# Run this command to configure your shell: \n# eval $(docker-host --stack prod env web --shell bash)\n",
      );
    });
    it("quotes a program path with a space or a backslash, like Docker Machine", () => {
      assert.equal(
        usageHint("powershell", ["C:\\Tools\\docker-host", "env"]),
        '# Run this command to configure your shell: \n# & "C:\\Tools\\docker-host" env | Invoke-Expression\n',
      );
      assert.match(
        usageHint("bash", ["/opt/my tools/docker-host", "env"]),
        /eval \$\("\/opt\/my tools\/docker-host" env\)/,
      );
    });
  });

  describe("shell detection from $SHELL", () => {
    const cases: [string | undefined, Shell][] = [
      ["/bin/bash", "bash"],
      ["/usr/bin/zsh", "zsh"],
      ["/usr/bin/fish", "fish"],
      ["/bin/tcsh", "tcsh"],
      ["/bin/csh", "tcsh"],
      ["/usr/bin/pwsh", "powershell"],
      ["/bin/sh", "bash"],
      ["/bin/dash", "bash"],
      [undefined, "bash"],
      ["", "bash"],
    ];
    for (const [shell, expected] of cases)
      it(`${String(shell)} -> ${expected}`, () => {
        assert.equal(detectShell(shell), expected);
      });
  });
});

describe("docker-host config: Docker Machine's flags", () => {
  it("prints --tlsverify, the three files quoted like Go's %q, and -H", () => {
    assert.equal(
      renderConfig("/home/me/.docker/docker-host/app/prod/web", "tcp://203.0.113.10:2376"),
      `--tlsverify
--tlscacert="/home/me/.docker/docker-host/app/prod/web/ca.pem"
--tlscert="/home/me/.docker/docker-host/app/prod/web/cert.pem"
--tlskey="/home/me/.docker/docker-host/app/prod/web/key.pem"
-H=tcp://203.0.113.10:2376
`,
    );
  });

  it("quotes like Go's strconv.Quote", () => {
    assert.equal(goQuote("/a b/c"), '"/a b/c"');
    assert.equal(goQuote('say "hi"\\'), '"say \\"hi\\"\\\\"');
    assert.equal(goQuote("tab\there\nnl"), '"tab\\there\\nnl"');
    assert.equal(goQuote("\x01\x7f"), '"\\x01\\x7f"');
    assert.equal(goQuote("\u0085"), '"\\u0085"');
    assert.equal(goQuote("é✓"), '"é✓"');
  });

  it("brackets an IPv6 DOCKER_HOST as given", () => {
    assert.match(
      renderConfig("/c", "tcp://[2001:db8::1]:2376"),
      /\n-H=tcp:\/\/\[2001:db8::1\]:2376\n$/,
    );
  });
});
