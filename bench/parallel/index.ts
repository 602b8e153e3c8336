import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { DockerHost, EngineInstallMethod } from "../../components";

// bench/run.sh's T_parallel program: one DockerHost per sandbox in the `hosts` config list, all in one stack,
// with the same settings as examples/existing-host (Distro install, per-host CA).
interface HostConfig {
  host: string;
  privateKeyPath: string;
  hostKey: string;
}

const config = new pulumi.Config();
const hosts = config.requireObject<HostConfig[]>("hosts");

const created = hosts.map(
  (h, i) =>
    new DockerHost(`bench${i}`, {
      existing: {
        host: h.host,
        privateKey: pulumi.secret(readFileSync(h.privateKeyPath, "utf8")),
        hostKey: h.hostKey,
      },
      engine: { installMethod: EngineInstallMethod.Distro, labels: { purpose: "bench" } },
    }),
);

export const dockerHosts = created.map((h) => h.dockerHost);
export const caCerts = created.map((h) => h.caCert);
export const clientCerts = created.map((h) => h.clientCert);
export const clientKeys = created.map((h) => h.clientKey);
