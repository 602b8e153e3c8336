import * as pulumi from "@pulumi/pulumi";
import { DockerHost } from "../../components";

// A Docker host on an Azure VM: `az login` (or the ARM_* variables),
// `pulumi config set --path 'allowedCidrs[0]' "$(curl -s https://checkip.amazonaws.com)/32"`, `pulumi up`.
const config = new pulumi.Config();

const host = new DockerHost(config.get("name") ?? "docker-azure", {
  azure: {
    location: config.get("location") ?? "eastus",
    vmSize: config.get("vmSize") ?? "Standard_B2s",
    tags: { example: "docker-host-azure" },
  },
  allowedCidrs: config.requireObject<string[]>("allowedCidrs"),
  engine: { labels: { cloud: "azure" } },
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
