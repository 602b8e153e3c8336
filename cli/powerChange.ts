// Pure: the program change that stops or starts a DockerHost whose source holds its machine's power state (the
// `power` input), as `stop`, `start` and `restart` print it.
import { CliError, ExitCode } from "./errors";

/**
 * The change that sets DockerHost `name`'s power to `value`, as the input's name and value and in the two
 * spellings of a program (any other language sets the same input to the same string).
 */
export function powerChange(name: string, value: "Stopped" | "Running"): string {
  return [
    `set the input power of DockerHost "${name}" to ${value}, then run pulumi up:`,
    `  TypeScript:  power: PowerState.${value},   (import { PowerState } from "pulumi-docker-host")`,
    `  YAML:        power: ${value}`,
  ].join("\n");
}

/** Why `restart` cannot reach a host whose stack says it is stopped, and the change that starts it. */
export function stoppedHost(name: string): CliError {
  return new CliError(
    `${name} is stopped (the stack's power output says Stopped): start it first: ${powerChange(name, "Running")}`,
    ExitCode.Failure,
  );
}
