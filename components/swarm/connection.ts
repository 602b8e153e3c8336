import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { PER_DIAL_TIMEOUT, STEP_DIAL_ATTEMPTS } from "../remote/dial";
import { SshInputs } from "./plan";

/**
 * The SSH connection of a swarm step, a secret (it holds the private key). The host key is pinned when given; a
 * host without one gets a warning on every run, as a DockerHost without `existing.hostKey` does. The host is
 * already provisioned, so a wrong key or a dead host fails after a few dials, not after minutes.
 */
export function swarmConnection(
  ssh: SshInputs,
): pulumi.Output<command.types.input.remote.ConnectionArgs> {
  return pulumi.secret(
    pulumi
      .all([ssh.host, ssh.port, ssh.user, ssh.privateKey, ssh.hostKey])
      .apply(([host, port, user, privateKey, hostKey]) => ({
        host: host.trim(),
        port,
        user,
        privateKey,
        ...(hostKey !== undefined && hostKey !== "" ? { hostKey: hostKey.trim() } : {}),
        dialErrorLimit: STEP_DIAL_ATTEMPTS,
        perDialTimeout: PER_DIAL_TIMEOUT,
      })),
  );
}

/** Warns on every run about a host whose SSH host key is not pinned. */
export function warnUnpinned(
  name: string,
  hostKey: pulumi.Input<string | undefined>,
  resource: pulumi.Resource,
): void {
  pulumi.output(hostKey).apply((key) => {
    if (key === undefined || key === "") {
      void pulumi.log.warn(
        `host ${name} has no sshHostKey: its SSH host is NOT verified, so a machine in the middle could receive the swarm's join tokens. Pass the key you pinned on its DockerHost (existing.hostKey).`,
        resource,
      );
    }
  });
}
