import * as pulumi from "@pulumi/pulumi";
import { DockerHost } from "../../components";

// A Docker host on Compute Engine: `gcloud auth application-default login` (or GOOGLE_CREDENTIALS), the project in
// GOOGLE_PROJECT (or `pulumi config set gcp:project ...`),
// `pulumi config set --path 'allowedCidrs[0]' "$(curl -s https://checkip.amazonaws.com)/32"`, `pulumi up`.
const config = new pulumi.Config();

const host = new DockerHost(config.get("name") ?? "docker-gcp", {
  gcp: {
    zone: config.get("zone") ?? "us-central1-a",
    machineType: config.get("machineType") ?? "e2-small",
    staticIp: config.getBoolean("staticIp") ?? false,
    labels: { example: "docker-host-gcp" },
  },
  allowedCidrs: config.requireObject<string[]>("allowedCidrs"),
  engine: { labels: { cloud: "gcp" } },
});

export const dockerHost = host.dockerHost;
export const address = host.address;
export const publicIp = host.publicIp;
export const privateIp = host.privateIp;
export const engineVersion = host.engineVersion;
export const caCert = host.caCert;
export const clientCert = host.clientCert;
export const clientKey = host.clientKey;
export const sshUser = host.sshUser;
export const sshPrivateKey = host.sshPrivateKey;
