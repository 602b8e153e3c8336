import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { DockerHost, EngineInstallMethod } from "../../../../components";

// Two DockerHosts in one stack, `alpha` and `beta`, each on its own sandbox host from the `hosts` config list
// (what scripts/sandbox.sh prints), each with its own CA and an engine label naming it.
interface HostConfig {
  host: string;
  privateKeyPath: string;
  hostKey: string;
}

const hosts = new pulumi.Config().requireObject<HostConfig[]>("hosts");
const names = ["alpha", "beta"];

const created = names.map((name, i) => {
  const h = hosts[i];
  if (h === undefined) throw new Error(`config hosts: needs ${String(names.length)} hosts`);
  return new DockerHost(name, {
    existing: {
      host: h.host,
      privateKey: pulumi.secret(readFileSync(h.privateKeyPath, "utf8")),
      hostKey: h.hostKey,
    },
    engine: { installMethod: EngineInstallMethod.Distro, labels: { member: name } },
  });
});

export const dockerHosts = created.map((h) => h.dockerHost);
export const caCerts = created.map((h) => h.caCert);
export const clientCerts = created.map((h) => h.clientCert);
export const clientKeys = created.map((h) => h.clientKey);
