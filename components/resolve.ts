import * as pulumi from "@pulumi/pulumi";
import { DockerHostArgs, EngineInstallMethod, PowerState, TlsAlgorithm } from "./args";
import { CheckedClient, checkClients } from "./clients";
import { EngineSettings } from "./engine/settings";
import { checkBoolean, checkDays, checkStringList, checkStringMap, checkUrlList } from "./checks";
import { Checker, checker, InputError } from "./inputs";
import {
  checkSource,
  CLOUD_SOURCE_NAMES,
  powerControlOf,
  SOURCE_NAMES,
  SourceName,
  sourcesSet,
} from "./machines/registry";
import { CheckedMachine } from "./machines/source";
import { checkPower, checkPowerControl } from "./power";
import { DEFAULT_TIMEOUTS } from "./remote/timeouts";
import * as v from "./validate";

/**
 * A DockerHost's inputs, checked and with defaults filled in; the engine settings are exactly what the engine
 * steps take. Building it registers no resource.
 */
export interface ResolvedArgs extends EngineSettings {
  /** Which machine source the inputs set. */
  source: SourceName;
  /** That source's inputs, checked: it creates the machine. */
  machine: CheckedMachine;
  /** The only ranges admitted on SSH and the engine port (canonical); empty for a source without a firewall. */
  allowedCidrs: string[];
  /** `power`, checked (and accepted by the source): Running unless set. */
  power: PowerState;
  sshPort: pulumi.Input<number>;
  port: pulumi.Output<number>;
  algorithm: TlsAlgorithm;
  validityDays: pulumi.Output<number>;
  earlyRenewalDays: pulumi.Output<number>;
  rotation: pulumi.Input<string>;
  extraSans: pulumi.Output<string[]>;
  caCertPem?: pulumi.Input<string>;
  caKeyPem?: pulumi.Input<string>;
  /** `tls.clients`, checked; empty without it. */
  clients: CheckedClient[];
}

/**
 * Checks every input (known values now, Outputs when they resolve) and fills in defaults. Throws an InputError
 * naming the DockerHost, the input and what is allowed.
 */
export function resolveArgs(name: string, args: DockerHostArgs): ResolvedArgs {
  const check: Checker = checker(`DockerHost "${name}": `);
  const engine = args.engine ?? {};
  const tls = args.tls ?? {};
  const present = sourcesSet(args);
  let allowedCidrs: string[] = [];
  let power = PowerState.Running;

  check(null, () => {
    checkOneSource(present);
    allowedCidrs = v.checkAllowedCidrs(present[0], CLOUD_SOURCE_NAMES, args.allowedCidrs);
    power = checkPower(args.power);
    const only = present[0] as SourceName;
    checkPowerControl(only, power, powerControlOf(only));
    v.checkInstallMethod(engine.installMethod);
    v.checkTlsAlgorithm(tls.algorithm);
    v.checkCaPair(tls.caCertPem !== undefined, tls.caKeyPem !== undefined);
    v.checkTimeouts(args.timeouts);
    if (
      engine.installScriptUrl !== undefined &&
      engine.installMethod !== EngineInstallMethod.Script
    ) {
      throw new InputError(
        "engine.installScriptUrl",
        `engine.installScriptUrl is only used with engine.installMethod Script (got ${engine.installMethod ?? "DockerRepo, the default"})`,
      );
    }
  });

  // checkOneSource passed: exactly one is set.
  const source = present[0] as SourceName;
  const machine = checkSource(source, args, check, power);
  const sshPort = machine.sshPort;
  const portPair = check([engine.port ?? 2376, sshPort], (pair) => {
    const [enginePort, ssh] = pair as [unknown, number];
    v.checkEnginePort(enginePort, ssh);
  });

  const validity = check(tls.validityDays ?? 365, (d) => {
    checkDays("tls.validityDays", d);
  });
  const early = check(tls.earlyRenewalDays ?? 30, (d) => {
    checkDays("tls.earlyRenewalDays", d);
  });
  const renewal = check([validity, early], (pair) => {
    const [validityDays, earlyDays] = pair as [number, number];
    v.checkRenewalWindow(validityDays, earlyDays);
  });
  const validityDays = pulumi.output(renewal).apply(([d]) => d as number);
  const earlyRenewalDays = pulumi.output(renewal).apply(([, d]) => d as number);
  // The identities inherit the values given (known now when they are, so their window is checked now too).
  const clients = checkClients(
    tls.clients,
    { validityDays: validity, earlyRenewalDays: early },
    check,
  );

  const daemon = pulumi
    .all([
      check(engine.labels, v.checkLabels),
      check(engine.registryMirrors, (x) => {
        checkUrlList("engine.registryMirrors", x);
      }),
      check(engine.insecureRegistries, (x) => {
        checkStringList("engine.insecureRegistries", x);
      }),
      check(engine.storageDriver, (x) => {
        v.checkDriverName("engine.storageDriver", x);
      }),
      check(engine.logDriver ?? "local", (x) => {
        v.checkDriverName("engine.logDriver", x);
      }),
      check(engine.logOpts, (x) => {
        checkStringMap("engine.logOpts", x);
      }),
      check(engine.liveRestore ?? true, (x) => {
        checkBoolean("engine.liveRestore", x);
      }),
      check(engine.daemonConfig, v.checkDaemonConfig),
    ])
    .apply(([labels, mirrors, insecure, storage, logDriver, logOpts, liveRestore, extra]) => ({
      labels: labels ?? {},
      registryMirrors: mirrors ?? [],
      insecureRegistries: insecure ?? [],
      ...(storage !== undefined && storage !== "" ? { storageDriver: storage } : {}),
      logDriver,
      logOpts: logOpts ?? {},
      liveRestore,
      extra: (extra ?? {}) as Record<string, unknown>,
    }));

  return {
    source,
    machine,
    allowedCidrs,
    power,
    sshPort,
    timeouts: {
      ...DEFAULT_TIMEOUTS,
      ...Object.fromEntries(Object.entries(args.timeouts ?? {}).filter(([, s]) => s !== undefined)),
    },
    installMethod: engine.installMethod ?? EngineInstallMethod.DockerRepo,
    installScriptUrl: pulumi
      .output(check(engine.installScriptUrl, v.checkInstallScriptUrl))
      .apply((u) => u ?? "https://get.docker.com"),
    version: pulumi.output(check(engine.version, v.checkEngineVersion)).apply((x) => x ?? ""),
    port: pulumi.output(portPair).apply(([p]) => p as number),
    daemon,
    env: pulumi
      .output(check(engine.env, v.checkEnv))
      .apply((e) => (e ?? {}) as Record<string, string>),
    algorithm: tls.algorithm ?? TlsAlgorithm.Ecdsa,
    validityDays,
    earlyRenewalDays,
    rotation: tls.rotation ?? "",
    extraSans: pulumi
      .output(check(tls.extraSans, v.checkExtraSans))
      .apply((s) => (s ?? []) as string[]),
    ...(tls.caCertPem !== undefined ? { caCertPem: check(tls.caCertPem, v.checkCaCertPem) } : {}),
    ...(tls.caKeyPem !== undefined ? { caKeyPem: pulumi.secret(tls.caKeyPem) } : {}),
    clients,
  };
}

/** Exactly one machine source must be set. */
function checkOneSource(present: SourceName[]): void {
  if (present.length !== 1) {
    const got = present.length === 0 ? "none" : present.join(" and ");
    throw new InputError(
      // No single property is at fault: a path naming them all (the engine then shows no value).
      present.length === 0 ? SOURCE_NAMES.join(" | ") : present.join(" & "),
      `exactly one machine source is required: set one of ${SOURCE_NAMES.join(", ")} (got ${got})`,
    );
  }
}
