import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { Machine } from "../machines/machine";
import { COMMAND_DEFAULTS } from "../remote/command";
import { connectionArgs } from "../remote/connection";
import { commandTimeouts } from "../remote/timeouts";
import { TlsMaterial } from "../tls";
import { renderStep, Step } from "./scripts";
import { EngineSettings } from "./settings";

/** The client key the start check reads from stdin, one base64 line, never in argv or the environment. */
export function startStdin(clientKeyPem: string): string {
  return `${Buffer.from(clientKeyPem, "utf8").toString("base64")}\n`;
}

/**
 * The start check of a machine whose power state DockerHost holds (`machine.powerState`): it exists only while the
 * host is `Running`, so a start creates it again and it runs once after every start (and once when a host first
 * gets one). It follows the power state and the wait step, and the install and configure steps follow it: it
 * dials like the wait step (a machine just started may still be booting), then checks that dockerd answers over
 * mutual TLS as the configure step checks it; when the server certificate changed while the machine was stopped,
 * the configure step that follows installs it and runs that check. Undefined for a source without a power state.
 */
export function startCheck(
  name: string,
  machine: Machine,
  engine: EngineSettings,
  tlsMaterial: TlsMaterial,
  wait: pulumi.Resource,
  parent: pulumi.Resource,
): command.remote.Command | undefined {
  if (machine.powerState === undefined) return undefined;
  const step = pulumi
    .all([engine.port, tlsMaterial.caCertPem, tlsMaterial.clientCertPem, tlsMaterial.serverCertPem])
    .apply(([port, ca, clientCert, serverCert]) =>
      renderStep(
        Step.Start,
        {
          DH_ENGINE_PORT: String(port),
          DH_CA_CERT: ca,
          DH_CLIENT_CERT: clientCert,
          DH_SERVER_CERT: serverCert,
          DH_TIMEOUT: String(engine.timeouts.wait),
        },
        [`the engine answers over mutual TLS on port ${String(port)} after a start`],
      ),
    );
  return new command.remote.Command(
    `${name}-start`,
    {
      connection: connectionArgs(machine.connection, machine.sshDialAttempts),
      create: step.command,
      stdin: pulumi.secret(
        pulumi
          .all([step.stdin, tlsMaterial.clientKeyPem])
          .apply(([script, key]) => script + startStdin(key)),
      ),
      ...COMMAND_DEFAULTS,
    },
    {
      parent,
      dependsOn: [wait, machine.powerState],
      customTimeouts: commandTimeouts(engine.timeouts.wait),
    },
  );
}
