import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import {
  ClientIdentityArgs,
  DockerHost,
  EngineInstallMethod,
  TimeoutsArgs,
} from "../../components";

// A DockerHost on a machine that already exists. The demo and the end-to-end tests (the fault suite among
// them, with `daemonConfig`, `engineVersion` and `timeouts`) point it at the local sandbox host through stack
// configuration; a real host works the same way.
const config = new pulumi.Config();
const labels = config.getObject<Record<string, string>>("labels") ?? { purpose: "demo" };
const cleanupOnDelete = config.getBoolean("cleanupOnDelete") ?? false;
const hostKey = config.get("hostKey");
const daemonConfig = config.getObject<Record<string, unknown>>("daemonConfig");
const version = config.get("engineVersion");
const timeouts = config.getObject<TimeoutsArgs>("timeouts");
// Named client identities, e.g. `pulumi config set --path 'clients.alice' '{}'` (the identities suite uses it).
const clients = config.getObject<Record<string, ClientIdentityArgs>>("clients");

const host = new DockerHost(config.get("name") ?? "sandbox", {
  existing: {
    host: config.require("host"),
    port: config.getNumber("sshPort") ?? 22,
    user: config.get("user") ?? "root",
    privateKey: pulumi.secret(readFileSync(config.require("privateKeyPath"), "utf8")),
    ...(hostKey !== undefined ? { hostKey } : {}),
    cleanupOnDelete,
  },
  engine: {
    installMethod: EngineInstallMethod.Distro,
    labels,
    ...(daemonConfig !== undefined ? { daemonConfig } : {}),
    ...(version !== undefined ? { version } : {}),
  },
  tls: { rotation: config.get("rotation") ?? "", ...(clients !== undefined ? { clients } : {}) },
  ...(timeouts !== undefined ? { timeouts } : {}),
});

export const dockerHost = host.dockerHost;
export const address = host.address;
export const engineVersion = host.engineVersion;
export const caCert = host.caCert;
export const clientCert = host.clientCert;
export const clientKey = host.clientKey;
export const env = host.env;
