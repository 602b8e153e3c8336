import * as pulumi from "@pulumi/pulumi";
import { DockerHost } from "../../components";

// A Docker host on EC2: `pulumi config set aws:region eu-west-1`,
// `pulumi config set --path 'allowedCidrs[0]' "$(curl -s https://checkip.amazonaws.com)/32"`, `pulumi up`.
const config = new pulumi.Config();

const host = new DockerHost(config.get("name") ?? "docker-aws", {
  aws: {
    instanceType: config.get("instanceType") ?? "t3.small",
    staticIp: config.getBoolean("staticIp") ?? false,
    tags: { example: "docker-host-aws" },
  },
  allowedCidrs: config.requireObject<string[]>("allowedCidrs"),
  engine: { labels: { cloud: "aws" } },
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
