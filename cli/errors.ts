/**
 * Exit codes scripts can rely on. Anything else comes from a tool docker-host runs on your behalf (`ssh` passes
 * its own exit code through).
 */
export const ExitCode = {
  /** Done. */
  Ok: 0,
  /** Something failed that is none of the below (the Pulumi or docker CLI failed, a file could not be written). */
  Failure: 1,
  /** Bad command line: unknown command or option, missing or extra argument, an invalid value. */
  Usage: 2,
  /** No such stack, no current stack, or no Pulumi project in the directory. */
  Stack: 3,
  /** The stack has no DockerHost, no DockerHost of that name, or several and no name was given. */
  Host: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error meant for the user: its message is printed as is, and the process exits with its code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = "CliError";
  }
}
