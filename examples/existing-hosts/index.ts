import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { DockerHost, EngineInstallMethod } from "../../components";

// Several machines that already exist, one DockerHost each, all in one stack: Pulumi provisions them in
// parallel, each with its own CA. The `hosts` config list has one entry per machine (what scripts/sandbox.sh
// prints, plus a name); each engine carries the label `member=NAME`.
interface HostConfig {
  /** The DockerHost's resource name. */
  name: string;
  /** The machine's address. */
  host: string;
  /** A file holding the SSH private key. */
  privateKeyPath: string;
  /** The machine's SSH host key, pinned. */
  hostKey: string;
}

const hosts = new pulumi.Config().requireObject<HostConfig[]>("hosts");

const created = hosts.map(
  (h) =>
    new DockerHost(h.name, {
      existing: {
        host: h.host,
        privateKey: pulumi.secret(readFileSync(h.privateKeyPath, "utf8")),
        hostKey: h.hostKey,
      },
      engine: { installMethod: EngineInstallMethod.Distro, labels: { member: h.name } },
    }),
);

export const dockerHosts = created.map((h) => h.dockerHost);
export const caCerts = created.map((h) => h.caCert);
export const clientCerts = created.map((h) => h.clientCert);
export const clientKeys = created.map((h) => h.clientKey);
