// The clouds as the mocks see them: computed outputs of the cloud resources and results of the data sources the
// cloud machine sources read (AMI lookup, default VPC and subnets, resource group). Used by mocks.ts.

/** What the mock monitor saw of one invoke (data source call). */
export interface Invoked {
  token: string;
  inputs: Record<string, unknown>;
}
export const invoked: Invoked[] = [];

/** Addresses the mocked clouds hand out. */
export const CLOUD_IPS = {
  awsPublic: "203.0.113.20",
  awsPrivate: "172.31.5.20",
  awsElastic: "198.51.100.50",
  doPublic: "203.0.113.30",
  doPrivate: "10.108.0.30",
  doIpv6: "2001:db8::30",
  doReserved: "198.51.100.60",
  azurePublic: "203.0.113.40",
  azurePrivate: "10.0.0.4",
  gcpPublic: "203.0.113.50",
  gcpPrivate: "10.128.0.50",
  gcpStatic: "198.51.100.70",
  hetznerPublic: "203.0.113.60",
  hetznerIpv6: "2001:db8:60::1",
  hetznerPrivate: "10.0.1.60",
  hetznerPrimary: "198.51.100.80",
};

/** NICs in a given (shared) subnet, in the order they were created: each gets an address of its own there. */
const sharedSubnetNics: string[] = [];
/**
 * The private address of an Azure NIC: `azurePrivate` in a network of the host's own; in a given subnet (an id
 * starting with `/subscriptions/`), a distinct address per NIC, `10.1.X.Y`, as Azure hands out in one subnet.
 */
function azurePrivateIp(nic: string, config: Record<string, unknown>): string {
  const subnet = (config.subnet as { id?: unknown } | undefined)?.id;
  if (typeof subnet !== "string" || !subnet.startsWith("/subscriptions/")) {
    return CLOUD_IPS.azurePrivate;
  }
  if (!sharedSubnetNics.includes(nic)) sharedSubnetNics.push(nic);
  const n = sharedSubnetNics.indexOf(nic) + 4;
  return `10.1.${String(Math.floor(n / 250))}.${String(n % 250)}`;
}

/**
 * What the mocked clouds report now, where a test changes it: `awsStartedIp` is the public IP EC2 reports for an
 * instance (the aws.ec2.getInstance invoke) after it was started again; undefined, the one it got at launch.
 */
export const cloudNow: { awsStartedIp?: string } = {};

/** The project the mocked Google provider uses when a resource names none. */
export const GCP_PROJECT = "mock-project";
/** A GCE network's self link, as the Google provider reports a network given by name. */
export const gcpNetworkLink = (project: string, network: string) =>
  network.includes("/")
    ? network
    : `https://www.googleapis.com/compute/v1/projects/${project}/global/networks/${network}`;

/** Ids of the cloud resources: numbers in a string where the cloud's ids are numbers (DigitalOcean, Hetzner). */
export function cloudId(type: string, name: string): string {
  const numeric: Record<string, string> = {
    "digitalocean:index/droplet:Droplet": "4242",
    "hcloud:index/server:Server": "4343",
    "hcloud:index/firewall:Firewall": "5151",
    "hcloud:index/primaryIp:PrimaryIp": "6161",
    "hcloud:index/sshKey:SshKey": "7171",
  };
  return numeric[type] ?? `${name}-id`;
}

/** Computed outputs of the cloud resources (what the providers would return after create). */
export function cloudState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  switch (type) {
    case "aws:ec2/instance:Instance":
      return {
        publicIp: CLOUD_IPS.awsPublic,
        privateIp: CLOUD_IPS.awsPrivate,
        arn: `arn:${name}`,
        primaryNetworkInterfaceId: `eni-${name}`,
      };
    case "aws:ec2/eip:Eip":
      return { publicIp: CLOUD_IPS.awsElastic, allocationId: `eipalloc-${name}` };
    case "aws:ec2/keyPair:KeyPair":
      return { keyName: `${name}-key-name` };
    case "digitalocean:index/droplet:Droplet":
      return {
        ipv4Address: CLOUD_IPS.doPublic,
        ipv4AddressPrivate: CLOUD_IPS.doPrivate,
        ipv6Address: inputs.ipv6 === true ? CLOUD_IPS.doIpv6 : "",
      };
    case "digitalocean:index/sshKey:SshKey":
      return { fingerprint: `fp:${name}` };
    case "digitalocean:index/reservedIp:ReservedIp":
      return { ipAddress: CLOUD_IPS.doReserved };
    case "azure-native:resources:ResourceGroup":
      return { name: `${name}-name`, location: inputs.location };
    case "azure-native:network:NetworkSecurityGroup":
      return { name: `${name}-name` };
    case "aws:ec2/securityGroup:SecurityGroup":
      return { region: inputs.region ?? "us-east-1" };
    case "azure-native:network:PublicIPAddress":
      return { ipAddress: CLOUD_IPS.azurePublic };
    case "azure-native:network:NetworkInterface":
      return {
        ipConfigurations: (
          (inputs.ipConfigurations as Record<string, unknown>[] | undefined) ?? []
        ).map((c) => ({ ...c, privateIPAddress: azurePrivateIp(name, c) })),
      };
    case "gcp:compute/instance:Instance": {
      const nics = (inputs.networkInterfaces ?? []) as Record<string, unknown>[];
      // A stopped (TERMINATED) instance has released its ephemeral external address; a static one stays.
      const ephemeral = inputs.desiredStatus === "TERMINATED" ? "" : CLOUD_IPS.gcpPublic;
      return {
        project: inputs.project ?? GCP_PROJECT,
        networkInterfaces: nics.map((nic) => ({
          ...nic,
          networkIp: CLOUD_IPS.gcpPrivate,
          accessConfigs: ((nic.accessConfigs ?? []) as Record<string, unknown>[]).map((a) => ({
            ...a,
            natIp: a.natIp ?? ephemeral,
          })),
        })),
      };
    }
    case "gcp:compute/firewall:Firewall": {
      const project = (inputs.project as string | undefined) ?? GCP_PROJECT;
      return { project, network: gcpNetworkLink(project, String(inputs.network)) };
    }
    case "gcp:compute/address:Address":
      return { address: CLOUD_IPS.gcpStatic };
    case "hcloud:index/server:Server": {
      const net = ((inputs.publicNets ?? []) as Record<string, unknown>[])[0] ?? {};
      return {
        ipv4Address: net.ipv4Enabled === false ? "" : CLOUD_IPS.hetznerPublic,
        ipv6Address: net.ipv6Enabled === false ? "" : CLOUD_IPS.hetznerIpv6,
        networks: ((inputs.networks ?? []) as Record<string, unknown>[]).map((n) => ({
          ...n,
          ip: CLOUD_IPS.hetznerPrivate,
        })),
      };
    }
    case "hcloud:index/primaryIp:PrimaryIp":
      return { ipAddress: CLOUD_IPS.hetznerPrimary };
    default:
      return {};
  }
}

/** A Graviton instance type: the family's suffix after the generation digit holds a "g" (t4g, m7gd, c6gn). */
const GRAVITON = /^[a-z]+\d+[a-z]*g[a-z]*\./;

/** Results of the data sources the cloud sources read; undefined for any other token. */
export function cloudCall(
  token: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const filters = (inputs.filters ?? []) as { name: string; values: string[] }[];
  const filter = (n: string) => filters.find((f) => f.name === n)?.values ?? [];
  switch (token) {
    case "aws:ec2/getInstance:getInstance":
      return {
        instanceId: inputs.instanceId,
        publicIp: cloudNow.awsStartedIp ?? CLOUD_IPS.awsPublic,
        privateIp: CLOUD_IPS.awsPrivate,
      };
    case "aws:ec2/getInstanceType:getInstanceType":
      return {
        instanceType: inputs.instanceType,
        supportedArchitectures: GRAVITON.test(String(inputs.instanceType))
          ? ["arm64"]
          : ["i386", "x86_64"],
      };
    case "aws:ec2/getAmi:getAmi":
      return {
        id: filter("architecture").includes("arm64")
          ? "ami-0a64a64a64a64a64a"
          : "ami-0d64d64d64d64d64d",
        name: filter("name")[0],
      };
    case "aws:ec2/getVpc:getVpc":
      return { id: "vpc-0de7a017de7a017de", cidrBlock: "172.31.0.0/16" };
    case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings":
      return { locations: ["us-east-1b", "us-east-1a"], instanceTypes: filter("instance-type") };
    case "aws:ec2/getSubnets:getSubnets":
      return { ids: ["subnet-0bbbbbbbbbbbbbbbb", "subnet-0aaaaaaaaaaaaaaaa"] };
    case "aws:ec2/getSubnet:getSubnet":
      return { id: inputs.id, vpcId: "vpc-0de7a017de7a017de", availabilityZone: "us-east-1a" };
    case "azure-native:resources:getResourceGroup":
      return { name: inputs.resourceGroupName, location: "westeurope" };
    case "gcp:compute/getSubnetwork:getSubnetwork":
      return {
        ...inputs,
        network: gcpNetworkLink(
          (inputs.project as string | undefined) ?? GCP_PROJECT,
          "custom-net",
        ),
      };
    default:
      return undefined;
  }
}
