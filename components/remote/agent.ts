import * as pulumi from "@pulumi/pulumi";
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";

// The command plugin dials the SSH agent at SSH_AUTH_SOCK for every remote command whenever that variable is set,
// even though DockerHost always hands it a private key, and fails the command at once when nothing answers there
// (a shell that outlived its agent, a forwarded socket of a closed session). The program and the plugin run in the
// Pulumi CLI's environment, so the program looks first and says what to do, instead of every step failing with
// "dial unix ...: connect: no such file or directory".

/** Connects to the unix socket argv[1]; exits 0 when something accepts, else prints the error code. */
const PROBE = `const c = require("node:net").connect(process.argv[1]);
c.on("connect", () => process.exit(0));
c.on("error", (e) => { process.stdout.write(String(e.code)); process.exit(1); });`;

const seen = new Map<string, string | undefined>();

/**
 * Why the SSH agent socket in `env` cannot be used, or undefined when SSH_AUTH_SOCK is unset or something accepts a
 * connection there. Synchronous (a child process connects), so a component can fail before it registers anything.
 */
export function agentSocketProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const socket = env.SSH_AUTH_SOCK ?? "";
  if (socket === "") return undefined;
  if (seen.has(socket)) return seen.get(socket);
  let problem: string | undefined;
  try {
    if (!statSync(socket).isSocket()) problem = "it is not a socket";
  } catch (e) {
    problem = `no SSH agent answers there (${(e as NodeJS.ErrnoException).code ?? "cannot stat it"})`;
  }
  if (problem === undefined) {
    const probe = spawnSync(process.execPath, ["-e", PROBE, socket], {
      encoding: "utf8",
      timeout: 5000,
    });
    if (probe.status !== 0) {
      problem = `no SSH agent answers there (${probe.stdout.trim() || "no answer within 5 s"})`;
    }
  }
  seen.set(socket, problem);
  return problem;
}

/**
 * Throws, naming SSH_AUTH_SOCK and what to do, when the SSH agent socket is set but unusable: every remote step
 * of `owner` (e.g. `DockerHost "web"`) would fail. Called before the component registers anything.
 */
export function requireUsableAgentSocket(owner: string): void {
  const problem = agentSocketProblem();
  if (problem === undefined) return;
  throw new pulumi.RunError(
    `${owner}: SSH_AUTH_SOCK is set to ${JSON.stringify(process.env.SSH_AUTH_SOCK)}, but ${problem}. The command provider dials that agent for every remote step, even with a private key, and each step would fail. Start the agent again (eval "$(ssh-agent)") or unset SSH_AUTH_SOCK (DockerHost logs in with its own key), then run pulumi up again`,
  );
}
