import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { PER_DIAL_TIMEOUT } from "./dial";

/**
 * How a remote step reaches a machine over SSH: the one connection of DockerHost's steps (a machine source's
 * `Machine.connection`) and DockerSwarm's (a host's SSH fields).
 */
export interface SshConnection {
  /** The address or DNS name sshd answers on. */
  host: string;
  /** sshd's port. */
  port: number;
  /** The login user: root, or a user with passwordless sudo. */
  user: string;
  /** The private key that logs in. Secret. */
  privateKey: string;
  /** The pinned host key (authorized_keys form); undefined or empty when none is pinned. */
  hostKey?: string;
}

/** An SshConnection field by field, each field known now or an Output (DockerSwarm's hosts are given so). */
export type SshConnectionInputs = { [K in keyof SshConnection]: pulumi.Input<SshConnection[K]> };

/**
 * The command provider's `connection` input for a step that gives up after `dialErrorLimit` failed dials (see
 * dial.ts), a secret (it holds the private key). The host key is pinned when there is one; blanks around the
 * host and the key (a key pasted from a file) are dropped, so that they never make a spurious diff.
 */
export function connectionArgs(
  connection: pulumi.Input<SshConnection> | SshConnectionInputs,
  dialErrorLimit: number,
): pulumi.Output<command.types.input.remote.ConnectionArgs> {
  // output() unwraps the Outputs inside an object given field by field, as it does a whole Output.
  const whole = pulumi.output(connection);
  return pulumi.secret(
    whole.apply(({ host, port, user, privateKey, hostKey }) => ({
      host: host.trim(),
      port,
      user,
      privateKey,
      ...(hostKey !== undefined && hostKey !== "" ? { hostKey: hostKey.trim() } : {}),
      dialErrorLimit,
      perDialTimeout: PER_DIAL_TIMEOUT,
    })),
  );
}

/**
 * Logs `warning` on every run while `hostKey` is absent or empty: the SSH host is then not verified, and a
 * machine in the middle could receive what the steps send (keys, join tokens).
 */
export function warnWhenUnpinned(
  hostKey: pulumi.Input<string | undefined>,
  warning: string,
  resource: pulumi.Resource,
): void {
  pulumi.output(hostKey).apply((key) => {
    if (key === undefined || key === "") void pulumi.log.warn(warning, resource);
  });
}
