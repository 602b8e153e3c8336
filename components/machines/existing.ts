import * as pulumi from "@pulumi/pulumi";
import { ExistingMachineArgs } from "../args";
import {
  checkBoolean,
  checkHost,
  checkHostKey,
  checkPort,
  checkPrivateKey,
  checkSshUser,
} from "../checks";
import { Checker } from "../inputs";
import { warnWhenUnpinned } from "../remote/connection";
import { WAIT_DIAL_ATTEMPTS } from "../remote/dial";
import { Machine } from "./machine";
import { CheckedMachine, MachineSource } from "./source";

/** The `existing` inputs, checked (known values at once, the rest when they resolve). */
interface ExistingInputs {
  host: pulumi.Input<string>;
  port: pulumi.Input<number>;
  user: pulumi.Input<string>;
  privateKey: pulumi.Input<string>;
  hostKey: pulumi.Input<string | undefined>;
  cleanupOnDelete: pulumi.Input<boolean>;
}

/** A machine that already exists, adopted over SSH (Docker Machine's `generic` driver). */
export const existingSource: MachineSource<ExistingMachineArgs> = {
  power: {
    declarative: false,
    why: "an existing machine's power is managed where the machine comes from, not by DockerHost",
    alternative:
      "stop and start it where it is managed (DockerHost checks the engine at the next `pulumi up`); to reboot it, run `docker-host restart NAME`",
  },
  createsMachine: false,
  check(args: ExistingMachineArgs, check: Checker): CheckedMachine {
    const inputs: ExistingInputs = {
      host: check(args.host, (v) => {
        checkHost("existing.host", v);
      }),
      port: check(args.port ?? 22, (v) => {
        checkPort("existing.port", v);
      }),
      user: check(args.user ?? "root", (v) => {
        checkSshUser("existing.user", v);
      }),
      privateKey: check(args.privateKey, (v) => {
        checkPrivateKey("existing.privateKey", v);
      }),
      hostKey: check(args.hostKey, (v) => {
        checkHostKey("existing.hostKey", v);
      }),
      cleanupOnDelete: check(args.cleanupOnDelete ?? false, (v) => {
        checkBoolean("existing.cleanupOnDelete", v);
      }),
    };
    return { sshPort: inputs.port, create: (ctx) => existingMachine(inputs, ctx.parent) };
  },
};

/**
 * Nothing is created: the inputs become the Machine shape. Without a pinned host key, every run warns loudly.
 */
function existingMachine(inputs: ExistingInputs, parent: pulumi.Resource): Machine {
  warnWhenUnpinned(
    inputs.hostKey,
    "existing.hostKey is not set: the SSH host is NOT verified, so a machine in the middle could receive the engine's keys. Pin it with the output of `ssh-keyscan -t ed25519 HOST`, checked against the host's console.",
    parent,
  );

  const address = pulumi.output(inputs.host).apply((h) => h.trim());
  return {
    address,
    addresses: address.apply((a) => [a]),
    connection: pulumi.secret(
      pulumi
        .all([address, inputs.port, inputs.user, inputs.privateKey, inputs.hostKey])
        .apply(([host, port, user, privateKey, hostKey]) => ({
          host,
          port,
          user,
          privateKey,
          ...(hostKey !== undefined && hostKey !== "" ? { hostKey: hostKey.trim() } : {}),
        })),
    ),
    // About two minutes of dialling: enough for a reboot or a late sshd; a wrong host key fails in as long.
    sshDialAttempts: WAIT_DIAL_ATTEMPTS,
    dependsOn: [],
    cleanupOnDelete: inputs.cleanupOnDelete,
  };
}
