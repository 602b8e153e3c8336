import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { DockerHost, EngineInstallMethod } from "../../../../components";

// The fault-injection suite's program: examples/existing-host plus `daemonConfig` (JSON) and `engineVersion`
// (the engine pin, empty for none) from configuration.
const config = new pulumi.Config();
const daemonConfig = config.getObject<Record<string, unknown>>("daemonConfig") ?? {};

const host = new DockerHost("faults", {
  existing: {
    host: config.require("host"),
    privateKey: pulumi.secret(readFileSync(config.require("privateKeyPath"), "utf8")),
    hostKey: config.require("hostKey"),
  },
  engine: {
    installMethod: EngineInstallMethod.Distro,
    labels: { purpose: "faults" },
    daemonConfig,
    version: config.get("engineVersion"),
  },
});

export const dockerHost = host.dockerHost;
export const caCert = host.caCert;
export const clientCert = host.clientCert;
export const clientKey = host.clientKey;
export const engineVersion = host.engineVersion;
