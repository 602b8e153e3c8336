import { REMOTE_PATHS } from "./paths";

/**
 * Placeholder for the package's own dockerd command line (minus its `-H` flags), which differs between
 * docker-ce, Debian's and Ubuntu's docker.io; the configure step reads it from the installed unit.
 */
export const DOCKERD_COMMAND_PLACEHOLDER = "@DOCKERD_COMMAND@";

/** systemd's quoting inside `Environment="..."`: backslash and quote escaped, `%` doubled (specifiers). */
function systemdQuote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%")}"`;
}

/**
 * Renders the docker.service drop-in. It clears the package's ExecStart, because dockerd refuses to start when
 * a listener is given both by the unit's `-H fd://` and by `hosts` in daemon.json, and sets dockerd's environment.
 */
export function renderDropIn(env: Record<string, string>): string {
  const lines = [
    `# Written by DockerHost. Listeners and TLS are in ${REMOTE_PATHS.DH_DAEMON_JSON_PATH}.`,
    "[Service]",
    "ExecStart=",
    `ExecStart=${DOCKERD_COMMAND_PLACEHOLDER}`,
    ...Object.keys(env)
      .sort()
      .map((k) => `Environment=${systemdQuote(`${k}=${env[k] ?? ""}`)}`),
  ];
  return lines.join("\n");
}
