import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { X509Certificate } from "node:crypto";
import { listenAddress } from "../addresses";
import { EngineInstallMethod } from "../args";
import { Machine } from "../machines/machine";
import { COMMAND_DEFAULTS } from "../remote/command";
import { connectionArgs } from "../remote/connection";
import { STEP_DIAL_ATTEMPTS } from "../remote/dial";
import { stepValue } from "../remote/output";
import { commandTimeouts } from "../remote/timeouts";
import { IdentityMaterial } from "../clients";
import { HELD_STEP_INPUTS } from "../power";
import { TlsMaterial } from "../tls";
import { parseAdoptedDaemonJson, renderDaemonJson } from "./daemonJson";
import { renderDropIn } from "./dropIn";
import { renderStep, renderStepCommand, Step } from "./scripts";
import { EngineSettings } from "./settings";
import { startCheck } from "./start";

/** What provisioning yields. */
export interface EngineResult {
  /** The version the engine reports over TLS after the configure step. */
  engineVersion: pulumi.Output<string>;
  /** The last step; anything that needs a serving engine depends on it. */
  ready: pulumi.Resource;
}

/** One line about a certificate for the configure step's preview: what changes when it is reissued. */
export function describeCertificate(role: string, pem: string): string {
  // Only unit-test mocks that echo inputs back (Pulumi's testing guide) yield no certificate: no line to show.
  if (pem === "") return `${role} certificate: none issued`;
  const cert = new X509Certificate(pem);
  const names = (cert.subjectAltName ?? "").replace(/IP Address:/g, "").replace(/DNS:/g, "");
  return `${role} certificate serial ${cert.serialNumber}, valid until ${cert.validTo}${names !== "" ? `, names ${names}` : ""}`;
}

/**
 * One preview line per named identity, in name order: a new line or a vanished one shows who gains or loses
 * access. It names the identity's CA, which is what dockerd holds: renewing an identity's certificate under the
 * same CA changes nothing on the host, so it neither re-runs configure nor restarts dockerd.
 */
function identityLines(identities: Record<string, IdentityMaterial>): pulumi.Output<string[]> {
  return pulumi.all(
    Object.entries(identities).map(([name, m]) =>
      m.caCertPem.apply((pem) => describeCertificate(`client identity ${name} CA`, pem)),
    ),
  );
}

/** The secrets the configure script reads from stdin, one base64 line each, never in argv or the environment. */
export function configureStdin(serverKeyPem: string, clientKeyPem: string): string {
  const line = (pem: string) => Buffer.from(pem, "utf8").toString("base64");
  return `${line(serverKeyPem)}\n${line(clientKeyPem)}\n`;
}

/** The engine version the configure step printed. */
export function parseEngineVersion(stdout: string): string {
  return stepValue(stdout, "engine-version");
}

/**
 * The three remote steps on a machine, chained: wait (SSH, cloud-init, OS), install (only when the method or the
 * version changes), configure (certificates, daemon.json, drop-in; re-run by any configuration, certificate or
 * install change). Where the machine came from does not matter here: only the Machine shape is used. A machine
 * with a power state gets the start check between wait and install (see start.ts). `held`: the machine is
 * stopped, so no step may run; their inputs are held (a changed setting waits for the next start) and there is
 * no start check.
 */
export function provisionEngine(
  name: string,
  machine: Machine,
  engine: EngineSettings,
  tlsMaterial: TlsMaterial,
  parent: pulumi.Resource,
  held = false,
): EngineResult {
  const bound = (seconds: number) => ({ DH_TIMEOUT: String(seconds) });
  const hold = held ? { ignoreChanges: [...HELD_STEP_INPUTS] } : {};
  const waitStep = renderStep(Step.Wait, bound(engine.timeouts.wait));
  const wait = new command.remote.Command(
    `${name}-wait`,
    {
      connection: connectionArgs(machine.connection, machine.sshDialAttempts),
      create: waitStep.command,
      stdin: waitStep.stdin,
      ...COMMAND_DEFAULTS,
    },
    {
      parent,
      dependsOn: machine.dependsOn,
      customTimeouts: commandTimeouts(engine.timeouts.wait),
      ...hold,
    },
  );
  const start = held ? undefined : startCheck(name, machine, engine, tlsMaterial, wait, parent);

  const connection = connectionArgs(machine.connection, STEP_DIAL_ATTEMPTS);
  const installParams = pulumi
    .all([engine.version, engine.installScriptUrl])
    .apply(([version, url]) => ({
      DH_INSTALL_METHOD: engine.installMethod,
      DH_ENGINE_VERSION: version,
      DH_INSTALL_SCRIPT_URL: engine.installMethod === EngineInstallMethod.Script ? url : "",
    }));
  const installStep = installParams.apply((p) =>
    renderStep(Step.Install, { ...p, ...bound(engine.timeouts.install) }, [
      `Docker Engine ${p.DH_ENGINE_VERSION || "(newest)"} by ${p.DH_INSTALL_METHOD}`,
    ]),
  );
  const install = new command.remote.Command(
    `${name}-install`,
    {
      connection,
      create: installStep.command,
      stdin: installStep.stdin,
      ...COMMAND_DEFAULTS,
    },
    {
      parent,
      dependsOn: [wait, ...(start !== undefined ? [start] : [])],
      customTimeouts: commandTimeouts(engine.timeouts.install),
      ...hold,
    },
  );

  // dockerd verifies clients against the host's CA and every identity's CA: a changed set re-runs configure,
  // whose restart (not a reload: dockerd's SIGHUP reload leaves TLS as it started) applies it.
  const certs = pulumi.all([
    tlsMaterial.trustedClientCas,
    tlsMaterial.serverCertPem,
    tlsMaterial.clientCertPem,
    identityLines(tlsMaterial.identities),
  ]);
  const configureStep = pulumi
    .all([
      machine.address,
      engine.port,
      engine.daemon,
      engine.env,
      wait.stdout,
      installParams,
      certs,
    ])
    .apply(([address, port, daemon, env, waitOut, install, [cas, serverCert, clientCert, ids]]) => {
      const adopted = parseAdoptedDaemonJson(stepValue(waitOut, "daemon-json-base64"));
      const daemonJson = renderDaemonJson({
        ...daemon,
        adopted,
        tcpListener: listenAddress(address, port),
      });
      return renderStep(
        Step.Configure,
        {
          DH_ENGINE_PORT: String(port),
          DH_STORAGE_DRIVER: daemon.storageDriver ?? "",
          DH_DAEMON_JSON: daemonJson,
          DH_DROPIN_TEXT: renderDropIn(env),
          DH_CA_CERT: cas,
          DH_SERVER_CERT: serverCert,
          DH_CLIENT_CERT: clientCert,
          // Not used by the script: re-runs configure after the install step re-ran (a new engine version).
          DH_INSTALLED: `${install.DH_INSTALL_METHOD} ${install.DH_ENGINE_VERSION || "(newest)"}`,
          ...bound(engine.timeouts.configure),
        },
        [
          describeCertificate("server", serverCert),
          describeCertificate("client", clientCert),
          ...ids,
        ],
      );
    });

  const configure = new command.remote.Command(
    `${name}-configure`,
    {
      connection,
      create: configureStep.command,
      // The script, then the keys right after it (no separator: the script's first `read` takes the next line).
      stdin: pulumi.secret(
        pulumi
          .all([configureStep.stdin, tlsMaterial.serverKeyPem, tlsMaterial.clientKeyPem])
          .apply(([script, serverKey, clientKey]) => script + configureStdin(serverKey, clientKey)),
      ),
      delete: pulumi
        .output(machine.cleanupOnDelete)
        .apply((cleanup) =>
          cleanup ? renderStepCommand(Step.Cleanup, bound(engine.timeouts.configure)) : undefined,
        ) as pulumi.Output<string>,
      ...COMMAND_DEFAULTS,
    },
    {
      parent,
      dependsOn: [install],
      customTimeouts: commandTimeouts(engine.timeouts.configure),
      ...hold,
    },
  );

  // The configure step prints only log lines and the version (never a secret), but its stdout is secret
  // whenever its stdin is: the version is published in the clear.
  // After a start, the version is published once the start check passed too (it follows configure's output).
  const version = pulumi.unsecret(configure.stdout).apply(parseEngineVersion);
  return {
    engineVersion:
      start === undefined ? version : pulumi.all([version, start.id]).apply(([v]) => v),
    ready: configure,
  };
}
