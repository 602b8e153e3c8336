// Pure formatters for `env` and `config`: exactly what Docker Machine printed (commands/env.go and config.go of
// docker/machine 0.16 and rancher/machine), so scripts and habits written for `docker-machine env` keep working.

/** The shells `env --shell` accepts. */
export const SHELLS = ["bash", "zsh", "fish", "powershell", "cmd", "tcsh", "emacs"] as const;
export type Shell = (typeof SHELLS)[number];

/** How one shell writes a variable assignment: PREFIX NAME DELIMITER VALUE SUFFIX. */
interface Syntax {
  prefix: string;
  delimiter: string;
  suffix: string;
}

const SET: Record<Shell, Syntax> = {
  bash: { prefix: "export ", delimiter: '="', suffix: '"\n' },
  zsh: { prefix: "export ", delimiter: '="', suffix: '"\n' },
  fish: { prefix: "set -gx ", delimiter: ' "', suffix: '";\n' },
  powershell: { prefix: "$Env:", delimiter: ' = "', suffix: '"\n' },
  cmd: { prefix: "SET ", delimiter: "=", suffix: "\n" },
  tcsh: { prefix: "setenv ", delimiter: ' "', suffix: '";\n' },
  emacs: { prefix: '(setenv "', delimiter: '" "', suffix: '")\n' },
};

const UNSET: Record<Shell, Syntax> = {
  bash: { prefix: "unset ", delimiter: "", suffix: "\n" },
  zsh: { prefix: "unset ", delimiter: "", suffix: "\n" },
  fish: { prefix: "set -e ", delimiter: "", suffix: ";\n" },
  // Two literal backslashes: Docker Machine's Go raw string, which PowerShell accepts.
  powershell: { prefix: "Remove-Item Env:\\\\", delimiter: "", suffix: "\n" },
  cmd: { prefix: "SET ", delimiter: "=", suffix: "\n" },
  tcsh: { prefix: "unsetenv ", delimiter: "", suffix: ";\n" },
  emacs: { prefix: '(setenv "', delimiter: '" nil', suffix: ")\n" },
};

/** What `env` sets for one host. */
export interface EnvSettings {
  /** `tcp://ADDRESS:PORT`. */
  dockerHost: string;
  /** The directory holding ca.pem, cert.pem and key.pem. */
  certPath: string;
  /** The DockerHost's name. */
  machineName: string;
  /** With `--no-proxy`: the variable and its new value (see {@link noProxySetting}). */
  noProxy?: { name: string; value: string };
  /** Docker Machine added COMPOSE_CONVERT_WINDOWS_PATHS=true on Windows. */
  composeConvertWindowsPaths?: boolean;
}

function line(s: Syntax, name: string, value: string): string {
  return `${s.prefix}${name}${s.delimiter}${value}${s.suffix}`;
}

/** The output of `env`: the four variables (and the optional two), then the usage hint. */
export function renderEnv(shell: Shell, settings: EnvSettings, hint: string): string {
  const s = SET[shell];
  let out =
    line(s, "DOCKER_TLS_VERIFY", "1") +
    line(s, "DOCKER_HOST", settings.dockerHost) +
    line(s, "DOCKER_CERT_PATH", settings.certPath) +
    line(s, "DOCKER_MACHINE_NAME", settings.machineName);
  if (settings.composeConvertWindowsPaths === true)
    out += line(s, "COMPOSE_CONVERT_WINDOWS_PATHS", "true");
  if (settings.noProxy !== undefined) out += line(s, settings.noProxy.name, settings.noProxy.value);
  return out + hint;
}

/**
 * The output of `env --unset`. With `--no-proxy` it also unsets the proxy exception variable (`no_proxy` when
 * that is set, else `NO_PROXY`). Docker Machine printed that variable's current value after its name there
 * (`unset NO_PROXYlocalhost`), which no shell understands; this prints the name only.
 */
export function renderUnset(shell: Shell, noProxyName: string | undefined, hint: string): string {
  const s = UNSET[shell];
  let out =
    line(s, "DOCKER_TLS_VERIFY", "") +
    line(s, "DOCKER_HOST", "") +
    line(s, "DOCKER_CERT_PATH", "") +
    line(s, "DOCKER_MACHINE_NAME", "");
  if (noProxyName !== undefined) out += line(s, noProxyName, "");
  return out + hint;
}

/** The two comment lines after the variables: how to apply the output in that shell. */
export function usageHint(shell: Shell, argv: readonly string[]): string {
  const [program = "docker-host", ...rest] = argv;
  const quoted = program.includes(" ") || program.includes("\\") ? `"${program}"` : program;
  const commandLine = [quoted, ...rest].join(" ");
  let comment = "#";
  let command: string;
  switch (shell) {
    case "fish":
      command = `eval (${commandLine})`;
      break;
    case "powershell":
      command = `& ${commandLine} | Invoke-Expression`;
      break;
    case "cmd":
      command = `\t@FOR /f "tokens=*" %i IN ('${commandLine}') DO @%i`;
      comment = "REM";
      break;
    case "emacs":
      command = `(with-temp-buffer (shell-command "${commandLine}" (current-buffer)) (eval-buffer))`;
      comment = ";;";
      break;
    case "tcsh":
      command = `eval \`${commandLine}\``;
      comment = ":";
      break;
    default:
      command = `eval $(${commandLine})`;
  }
  return `${comment} Run this command to configure your shell: \n${comment} ${command}\n`;
}

/** The proxy exception variable Docker Machine used: `no_proxy` when it is set and not empty, else `NO_PROXY`. */
export function noProxyName(env: Readonly<Record<string, string | undefined>>): string {
  return (env.no_proxy ?? "") !== "" ? "no_proxy" : "NO_PROXY";
}

/**
 * `--no-proxy`: the exception list with the host's address added once. Docker Machine tested with a substring
 * match (so `10.0.0.1` counted as present in `10.0.0.10`); this compares whole entries.
 */
export function noProxySetting(
  env: Readonly<Record<string, string | undefined>>,
  address: string,
): { name: string; value: string } {
  const name = noProxyName(env);
  const current = env[name] ?? "";
  if (current === "") return { name, value: address };
  const entries = current.split(",").map((e) => e.trim());
  return { name, value: entries.includes(address) ? current : `${current},${address}` };
}

/** The shell from `$SHELL` (Docker Machine's detection on Linux and macOS); bash syntax when unknown. */
export function detectShell(shellPath: string | undefined): Shell {
  const base = (shellPath ?? "").split("/").pop() ?? "";
  switch (base) {
    case "fish":
    case "zsh":
    case "tcsh":
      return base;
    case "csh":
      return "tcsh";
    case "pwsh":
    case "powershell":
      return "powershell";
    default:
      return "bash";
  }
}

/** The output of `config`: the docker CLI's TLS flags and `-H`, one per line, paths quoted like Go's `%q`. */
export function renderConfig(certPath: string, dockerHost: string): string {
  const file = (name: string) => goQuote(`${certPath}/${name}`);
  return (
    `--tlsverify\n--tlscacert=${file("ca.pem")}\n--tlscert=${file("cert.pem")}\n` +
    `--tlskey=${file("key.pem")}\n-H=${dockerHost}\n`
  );
}

/** Go's `strconv.Quote` for the characters file paths hold: escapes, control characters as `\xNN`. */
export function goQuote(s: string): string {
  const named: Record<string, string> = {
    "\x07": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
  };
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    const escape = named[ch];
    if (escape !== undefined) out += escape;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code >= 0x80 && code < 0xa0) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}
