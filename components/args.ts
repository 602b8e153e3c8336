import * as pulumi from "@pulumi/pulumi";
import type { ClientIdentityArgs } from "./clients";

/** How Docker Engine gets onto the machine. */
export enum EngineInstallMethod {
  /** Docker's official apt repository (download.docker.com): `docker-ce`, `docker-ce-cli`, `containerd.io`. */
  DockerRepo = "DockerRepo",
  /** The distribution's own packages (`docker.io` on Debian and Ubuntu). */
  Distro = "Distro",
  /** Docker's convenience script (`installScriptUrl`, by default https://get.docker.com). */
  Script = "Script",
  /** Docker is already installed: verify it is there (and at the pinned version), install nothing. */
  Preinstalled = "Preinstalled",
}

/** The key algorithm of the CA, server and client certificates. */
export enum TlsAlgorithm {
  /** ECDSA on the NIST P-256 curve: small, fast, supported by every Docker client. */
  Ecdsa = "Ecdsa",
  /** RSA with 4096-bit keys, for clients that cannot use ECDSA. */
  Rsa = "Rsa",
}

/**
 * Whether a DockerHost's machine runs (`power`). Stopping shuts the machine down without deleting anything.
 */
export enum PowerState {
  /** The machine runs and Docker Engine serves its API over mutual TLS: the default. */
  Running = "Running",
  /**
   * The machine is shut down (gracefully, as a `shutdown` on it would) and keeps its disk, its private address,
   * its static address when `staticIp` is set, the certificates and the stack's state; only the machine sources
   * whose cloud provider holds a power state (`aws`, `gcp`) accept it.
   */
  Stopped = "Stopped",
}

/**
 * A Linux machine that already exists and is reachable over SSH (Docker Machine's `generic` driver).
 * Supported: Ubuntu 22.04 and later, Debian 12 and later, with systemd.
 */
export interface ExistingMachineArgs {
  /** The machine's IP address or DNS name, as this program reaches it over SSH. It is also the address Docker clients use and a SAN of the server certificate. */
  host: pulumi.Input<string>;
  /** The SSH port. Default 22. */
  port?: pulumi.Input<number>;
  /** The SSH login user. Default `root`. A user other than root needs passwordless sudo. */
  user?: pulumi.Input<string>;
  /** The SSH private key (PEM or OpenSSH format) that logs in as `user`. Treated as a secret. */
  privateKey: pulumi.Input<string>;
  /**
   * The machine's SSH host public key in authorized_keys form (`ssh-ed25519 AAAA...`, from `ssh-keyscan -t ed25519
   * HOST`). Every remote command checks the host against it. ED25519 or ECDSA: an RSA key is rejected, because the
   * command provider can verify it only with SHA-1 signatures, which OpenSSH 8.8 and later refuse. When absent,
   * the host is not verified and a warning is logged on every run.
   */
  hostKey?: pulumi.Input<string>;
  /**
   * When true, deleting the DockerHost removes what it added to the machine: the systemd drop-in, the
   * certificates and its daemon.json keys (the daemon.json found at adoption is restored), then restarts Docker
   * on its socket. Docker itself stays installed. Default false: deleting leaves the host as it is.
   */
  cleanupOnDelete?: pulumi.Input<boolean>;
}

/**
 * A new EC2 instance (Docker Machine's `amazonec2` driver): Ubuntu 24.04 LTS, a security group that admits only
 * `allowedCidrs` on SSH and the engine port, IMDSv2 only, an encrypted root volume. Credentials come from the
 * AWS provider's usual sources (environment, shared profile, instance role).
 */
export interface AwsMachineArgs {
  /** The region, e.g. `eu-west-1`. Default: the AWS provider's region (`aws:region`, `AWS_REGION`). */
  region?: pulumi.Input<string>;
  /** The instance type. Default `t3.small`. Graviton types (`t4g.small`, `m7g.large`...) get the arm64 image. */
  instanceType?: pulumi.Input<string>;
  /**
   * The AMI (`ami-...`). Default: the newest Canonical Ubuntu 24.04 LTS AMI for the instance type's architecture,
   * looked up on the first deploy and then kept (a newer AMI never replaces a running host). Setting or changing
   * this replaces the instance. The image must run cloud-init and log in as `ubuntu`.
   */
  ami?: pulumi.Input<string>;
  /** The subnet to launch in (`subnet-...`); used, never changed. Default: a default subnet of the VPC in an availability zone that offers the instance type. */
  subnetId?: pulumi.Input<string>;
  /** The VPC (`vpc-...`) of the security group; used, never changed. Default: the subnet's VPC, else the region's default VPC. */
  vpcId?: pulumi.Input<string>;
  /** The size of the encrypted gp3 root volume in GiB, 8 to 16384. Default 20. */
  rootVolumeSizeGb?: pulumi.Input<number>;
  /** Give the host an Elastic IP: its address survives stop/start and instance replacement and is the certificate's SAN. Default false. */
  staticIp?: boolean;
  /** Run as a one-time Spot instance (cheaper; an interruption terminates it, the next `pulumi up --refresh` recreates it). Default false. */
  spot?: pulumi.Input<boolean>;
  /** The name of an existing IAM instance profile to attach; used, never changed. Default: none. */
  iamInstanceProfile?: pulumi.Input<string>;
  /** Tags for every AWS resource, merged over DockerHost's own (`Name`, `docker-host`, `managed-by`). */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Your own cloud-init user data (plain text: `#cloud-config`, a `#!` script, `#cloud-boothook` or `#include`),
   * merged with DockerHost's as a MIME multi-part document. A `#cloud-config` must not set `ssh_keys`,
   * `ssh_deletekeys` or `ssh_genkeytypes` (the pinned host key depends on them). Changing it replaces the instance.
   */
  userData?: pulumi.Input<string>;
}

/**
 * A new DigitalOcean Droplet (Docker Machine's `digitalocean` driver): Ubuntu 24.04 LTS, a cloud firewall that
 * admits only `allowedCidrs` on SSH and the engine port. Credentials: `DIGITALOCEAN_TOKEN`.
 */
export interface DigitalOceanMachineArgs {
  /** The region slug, e.g. `ams3`. Default `nyc3`. */
  region?: pulumi.Input<string>;
  /** The Droplet size slug. Default `s-1vcpu-2gb`. */
  size?: pulumi.Input<string>;
  /**
   * The image slug or id. Default `ubuntu-24-04-x64`. The image is kept after the first deploy (a newer image
   * behind the slug never replaces a running host); changing this input replaces the Droplet.
   */
  image?: pulumi.Input<string>;
  /** The VPC's UUID; used, never changed. Default: the region's default VPC. */
  vpcUuid?: pulumi.Input<string>;
  /** Give the host a reserved IP: its address survives Droplet replacement and is the certificate's SAN. Default false. */
  staticIp?: boolean;
  /** Enable public IPv6; the address becomes a SAN of the server certificate too. Default false. */
  ipv6?: pulumi.Input<boolean>;
  /** Install the DigitalOcean monitoring agent. Default false. */
  monitoring?: pulumi.Input<boolean>;
  /** Tags for the Droplet (letters, digits, `:`, `-`, `_`), added to `docker-host` and `docker-host:NAME`. */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Your own cloud-init user data (plain text: `#cloud-config`, a `#!` script, `#cloud-boothook` or `#include`),
   * merged with DockerHost's as a MIME multi-part document. A `#cloud-config` must not set `ssh_keys`,
   * `ssh_deletekeys` or `ssh_genkeytypes`. Changing it replaces the Droplet.
   */
  userData?: pulumi.Input<string>;
}

/**
 * A new Azure VM (Docker Machine's `azure` driver): Ubuntu 24.04 LTS in its own virtual network, a network
 * security group on its NIC that admits only `allowedCidrs` on SSH and the engine port, a Standard static public
 * IP, password login disabled. Credentials: the `ARM_*` variables or an `az login` session.
 */
export interface AzureMachineArgs {
  /** The location, e.g. `westeurope`. Default: the resource group's location when `resourceGroupName` is set, else `eastus`. */
  location?: pulumi.Input<string>;
  /** An existing resource group to create the resources in; used, never changed. Default: a new resource group. */
  resourceGroupName?: pulumi.Input<string>;
  /** The VM size. Default `Standard_B2s`. */
  vmSize?: pulumi.Input<string>;
  /** The login user (sudo). Default `dockerhost`. Azure rejects `root`, `admin`, `administrator`, `user` and similar names. */
  adminUsername?: pulumi.Input<string>;
  /**
   * The image as `publisher:offer:sku:version`. Default `Canonical:ubuntu-24_04-lts:server:latest`, resolved on
   * the first deploy and then kept (a newer image never replaces a running host); changing this input replaces the VM.
   */
  image?: pulumi.Input<string>;
  /** The OS disk size in GiB, 30 to 4095. Default: the image's size (30 GiB for Ubuntu). */
  osDiskSizeGb?: pulumi.Input<number>;
  /** Kept for symmetry with the other clouds: Azure's Standard public IPs are always static, so the address already survives restarts and VM replacement. */
  staticIp?: boolean;
  /** Tags for every Azure resource, merged over DockerHost's own (`docker-host`, `managed-by`). */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * An existing subnet for the VM's NIC, as its resource id
   * (`/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/VNET/subnets/SUBNET`); used,
   * never changed. Then DockerHost creates no virtual network, and hosts given subnets of one virtual network have
   * distinct private addresses, on which rules (a DockerSwarm's) can admit each other, as Docker Machine's machines
   * share one network. The subnet must be in the VM's location. The host's security group then also denies the rest
   * of the virtual network (rule `deny-vnet`, priority 4000), which Azure's default rules would admit on every
   * port. Default: a virtual network of the host's own (`10.0.0.0/16`). Changing it (or setting or removing it on
   * an existing host) replaces the NIC and the VM: Azure cannot move a NIC to another virtual network.
   */
  subnetId?: pulumi.Input<string>;
  /**
   * Application security groups the VM's NIC joins, as resource ids
   * (`/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Network/applicationSecurityGroups/NAME`), so that
   * rules (a DockerSwarm's with `firewallTags.azure`, or your own) can admit the host by group instead of by
   * address. Requires `subnetId`: every NIC of a group must be in one virtual network, and without it each host
   * has a network of its own. A group must be in the VM's location; Azure allows up to 20 groups per NIC.
   * Changed in place.
   */
  applicationSecurityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Your own cloud-init custom data as plain text (not base64: `#cloud-config`, a `#!` script, `#cloud-boothook`
   * or `#include`), merged with DockerHost's as a MIME multi-part document. A `#cloud-config` must not set
   * `ssh_keys`, `ssh_deletekeys` or `ssh_genkeytypes`. Changing it replaces the VM.
   */
  customData?: pulumi.Input<string>;
}

/**
 * A new Google Compute Engine instance (Docker Machine's `google` driver): Ubuntu 24.04 LTS, Shielded VM (secure
 * boot, vTPM, integrity monitoring), no service account unless you attach one, firewall rules aimed at a network
 * tag only this instance carries that admit only `allowedCidrs` on SSH and the engine port (and deny everyone
 * else there, whatever other rules of the network allow). Login user `dockerhost`, through the `ssh-keys`
 * metadata. Credentials: `GOOGLE_CREDENTIALS` or `GOOGLE_APPLICATION_CREDENTIALS` (or `gcloud auth
 * application-default login`), and a project (`gcp:project`, `GOOGLE_PROJECT`) unless `project` is set.
 */
export interface GcpMachineArgs {
  /** The project to create everything in. Default: the Google provider's project (`gcp:project`, `GOOGLE_PROJECT`). */
  project?: pulumi.Input<string>;
  /** The zone, e.g. `europe-west1-b`; its region holds the static address. Default `us-central1-a`. */
  zone?: pulumi.Input<string>;
  /** The machine type. Default `e2-small` (2 shared vCPUs, 2 GB). Changing it stops and restarts the VM. */
  machineType?: pulumi.Input<string>;
  /**
   * The boot image: an image or image family as GCE accepts it (`PROJECT/FAMILY`, `projects/P/global/images/I`,
   * a self link). Default `ubuntu-os-cloud/ubuntu-2404-lts-amd64` (arm64 machine types need
   * `ubuntu-os-cloud/ubuntu-2404-lts-arm64`). The image is kept after the first deploy (a newer image in the family
   * never replaces a running host); changing this input replaces the instance. The image must run cloud-init and
   * Google's guest agent, and support Shielded VM.
   */
  image?: pulumi.Input<string>;
  /** The boot disk's size in GB, 10 to 65536. Default 20. Changing it replaces the instance and its disk: the Google provider does not grow a boot disk in place. */
  diskSizeGb?: pulumi.Input<number>;
  /** The boot disk's type. Default `pd-balanced`; machine series that take only Hyperdisk (C4, N4...) need e.g. `hyperdisk-balanced`. Changing it replaces the instance. */
  diskType?: pulumi.Input<string>;
  /** The VPC network (name or self link); used, never changed. Default: the subnetwork's network, else `default`. */
  network?: pulumi.Input<string>;
  /** The subnetwork in the zone's region (name or self link); used, never changed. Default: the network's subnetwork of the region (auto-mode networks). */
  subnetwork?: pulumi.Input<string>;
  /** Give the host a static external IPv4 address (a regional address of its own): it survives instance replacement and is the certificate's SAN. Default false. */
  staticIp?: boolean;
  /** The e-mail of an existing service account to attach. Default: none, so nothing on the VM gets Google credentials from the metadata server. */
  serviceAccountEmail?: pulumi.Input<string>;
  /** OAuth scopes for `serviceAccountEmail` (its IAM roles decide what it may do). Default `["cloud-platform"]`; rejected without `serviceAccountEmail`. */
  serviceAccountScopes?: pulumi.Input<pulumi.Input<string>[]>;
  /** Labels for every GCP resource that takes labels, merged over DockerHost's own (`docker-host`, `managed-by`): lowercase letters, digits, `_` and `-`, at most 63; keys start with a letter. */
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** More network tags for the instance, for firewall rules of your own, next to the tag DockerHost's rules target. */
  networkTags?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Your own cloud-init user data (plain text: `#cloud-config`, a `#!` script, `#cloud-boothook` or `#include`),
   * merged with DockerHost's as a MIME multi-part document into the `user-data` metadata. A `#cloud-config` must
   * not set `ssh_keys`, `ssh_deletekeys` or `ssh_genkeytypes`. Changing it replaces the instance.
   */
  userData?: pulumi.Input<string>;
}

/**
 * A new Hetzner Cloud server (the community `hetzner` driver of Docker Machine): Ubuntu 24.04, a Hetzner firewall
 * applied from its first boot that admits only `allowedCidrs` on SSH and the engine port, root login with a
 * generated key (no root password). Credentials: `HCLOUD_TOKEN` (or the `hcloud:token` configuration).
 */
export interface HetznerMachineArgs {
  /** The location, e.g. `nbg1`, `hel1`, `ash`. Default `fsn1` (Falkenstein). Changing it replaces the server. */
  location?: pulumi.Input<string>;
  /** The server type. Default `cx23` (2 vCPUs, 4 GB; offered in the EU locations). Changing it powers the server off and rescales it in place; its disk grows with the type, so a smaller type later needs a new server. */
  serverType?: pulumi.Input<string>;
  /**
   * The image name or id. Default `ubuntu-24.04`. The image is kept after the first deploy (a newer build behind
   * the name never replaces a running host); changing this input replaces the server. It must run cloud-init.
   */
  image?: pulumi.Input<string>;
  /** The ID of an existing network to attach the server to; its address there is `privateIp`. Used, never changed. Default: none (no private IP). */
  networkId?: pulumi.Input<number>;
  /** Give the host a primary IPv4 address of its own that outlives the server (auto-delete off): it survives server replacement and is the certificate's SAN. Needs `ipv4`. Default false. */
  staticIp?: boolean;
  /** A public IPv4 address (Hetzner bills it). Without it the server is reachable over IPv6 only, which then is the address clients use. Default true. */
  ipv4?: pulumi.Input<boolean>;
  /** A public IPv6 address; it becomes a SAN of the server certificate too. Default true. */
  ipv6?: pulumi.Input<boolean>;
  /** Admit ICMP (ping) from `allowedCidrs` too. Default false: the firewall drops it. */
  allowIcmp?: pulumi.Input<boolean>;
  /** Labels for every Hetzner resource, merged over DockerHost's own (`docker-host`, `managed-by`). */
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Your own cloud-init user data (plain text: `#cloud-config`, a `#!` script, `#cloud-boothook` or `#include`),
   * merged with DockerHost's as a MIME multi-part document; at most 31 KiB (Hetzner takes 32 KiB in all). A
   * `#cloud-config` must not set `ssh_keys`, `ssh_deletekeys` or `ssh_genkeytypes`. Changing it replaces the server.
   */
  userData?: pulumi.Input<string>;
}

/** Docker Engine installation and daemon configuration. Changing any of these updates the host in place. */
export interface EngineArgs {
  /** How to install Docker Engine. Default `DockerRepo`. */
  installMethod?: EngineInstallMethod;
  /** The URL of the install script for the `Script` method. Must be https. Default https://get.docker.com. */
  installScriptUrl?: pulumi.Input<string>;
  /**
   * Pin the engine to this version (e.g. `27.5.1`); the packages are held at it. Changing it upgrades or
   * downgrades in place. Default: the newest version the install source offers, left as installed.
   */
  version?: pulumi.Input<string>;
  /** The TCP port of the TLS-protected Engine API. Default 2376. Must not be the SSH port. */
  port?: pulumi.Input<number>;
  /** Engine labels (`docker info` shows them). Keys: lowercase letters, digits, `.` and `-`, starting and ending with a letter or digit. */
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Registry mirrors (`registry-mirrors` in daemon.json), as URLs. */
  registryMirrors?: pulumi.Input<pulumi.Input<string>[]>;
  /** Registries the engine may reach without TLS verification (`insecure-registries`). Use sparingly. */
  insecureRegistries?: pulumi.Input<pulumi.Input<string>[]>;
  /** The storage driver. Default: the engine's choice, or what an adopted host already uses (never changed on it). */
  storageDriver?: pulumi.Input<string>;
  /** The default logging driver of containers. Default `local` (rotated). */
  logDriver?: pulumi.Input<string>;
  /** Options of the logging driver (`log-opts`), e.g. `{ "max-size": "10m" }`. */
  logOpts?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Keep containers running while dockerd restarts (for configuration and certificate changes). Default true. */
  liveRestore?: pulumi.Input<boolean>;
  /**
   * Further daemon.json keys, merged over the defaults. The keys DockerHost owns (`hosts`, `tls*`) and the keys
   * that have an input of their own (labels, mirrors, log driver...) are rejected.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- daemon.json values are arbitrary JSON.
  daemonConfig?: pulumi.Input<Record<string, any>>;
  /** Environment variables for dockerd (proxy settings and the like), written to the systemd drop-in. */
  env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The certificates that protect the Engine API with mutual TLS. */
export interface TlsArgs {
  /** The key algorithm of every key DockerHost generates. Default `Ecdsa` (P-256). */
  algorithm?: TlsAlgorithm;
  /** How long the server and client certificates are valid, in days. Default 365. The CA lives 10 years. */
  validityDays?: pulumi.Input<number>;
  /** Reissue the server and client certificates on the first `pulumi up` this many days before they expire. Default 30. Must be less than `validityDays`. */
  earlyRenewalDays?: pulumi.Input<number>;
  /**
   * Any change to this value reissues the server and client certificates with new keys. With the per-host CA it
   * also reissues the CA, so certificates issued before the change stop working. E.g. `"2026-11"`.
   */
  rotation?: pulumi.Input<string>;
  /** More names for the server certificate: IP addresses or DNS names, e.g. a load balancer's name. */
  extraSans?: pulumi.Input<pulumi.Input<string>[]>;
  /** Bring your own CA: its certificate (PEM). Needs `caKeyPem` too. Default: a CA per host. */
  caCertPem?: pulumi.Input<string>;
  /** Bring your own CA: its private key (PEM). Treated as a secret. Needs `caCertPem` too. */
  caKeyPem?: pulumi.Input<string>;
  /**
   * Named client identities, one per person or CI system, e.g. `{ alice: {}, ci: { validityDays: 30 } }`: each
   * gets a certificate of its own (its name as the common name) under a CA of its own, and dockerd trusts exactly
   * those CAs plus the host's. Removing a name makes the daemon refuse that certificate at the next `pulumi up`
   * (dockerd restarts; with `engine.liveRestore` no container stops) while every other identity keeps working;
   * adding it back issues a new one. The `clients` output holds each bundle. Names: 1 to 63 lowercase letters,
   * digits and `-`, known when the program runs. Works with your own CA too: the identities' CAs are DockerHost's,
   * never signed by yours. Default: none, only the stack's own `clientCert`.
   */
  clients?: Record<string, ClientIdentityArgs>;
}

/**
 * Upper bounds of the remote steps, in whole seconds from 30 to 86400. A step still running at its bound is stopped
 * on the machine (TERM to all its processes, KILL 60 s later; an interrupted configure first restores the previous
 * configuration) and fails with an error naming the step and what it was waiting for, e.g. `docker-host: error:
 * the install step did not finish within 30m0s while waiting for the dpkg lock, held by process 812
 * (unattended-upgr), during apt-get install; ...`; the next `pulumi up` runs it again. Plain numbers known when the
 * program runs (they also set Pulumi's customTimeouts). Changing a bound re-runs that step once.
 */
export interface TimeoutsArgs {
  /** The wait step: cloud-init finishing the first boot (with your own user data), then the OS checks. Default 900 (15 minutes). */
  wait?: number;
  /** The install step: apt, including waiting for another apt's lock, or the install script. Default 1800 (30 minutes). */
  install?: number;
  /** The configure step (and the cleanup on delete): the switch, dockerd's restart and the mutual-TLS check. Default 600 (10 minutes). */
  configure?: number;
}

/** The inputs of a DockerHost. Exactly one machine source must be set. */
export interface DockerHostArgs {
  /** Adopt a machine that already exists and is reachable over SSH. */
  existing?: ExistingMachineArgs;
  /** Create an EC2 instance on AWS. Needs `allowedCidrs`. */
  aws?: AwsMachineArgs;
  /** Create a Droplet on DigitalOcean. Needs `allowedCidrs`. */
  digitalocean?: DigitalOceanMachineArgs;
  /** Create a VM on Azure. Needs `allowedCidrs`. */
  azure?: AzureMachineArgs;
  /** Create an instance on Google Compute Engine. Needs `allowedCidrs`. */
  gcp?: GcpMachineArgs;
  /** Create a server on Hetzner Cloud. Needs `allowedCidrs`. */
  hetzner?: HetznerMachineArgs;
  /**
   * For cloud machines (required there, rejected for `existing`): the CIDR ranges allowed to reach SSH (22) and
   * the engine port, e.g. `["198.51.100.0/24", "2001:db8::/32"]`; nothing else gets in. `0.0.0.0/0` or `::/0`
   * opens them to the world and logs a warning. Known when the program runs: each range becomes a named rule.
   */
  allowedCidrs?: string[];
  /** Docker Engine installation and configuration. */
  engine?: EngineArgs;
  /** The Engine API's certificates. */
  tls?: TlsArgs;
  /** Upper bounds of the remote steps, in seconds. Default: wait 900, install 1800, configure 600. */
  timeouts?: TimeoutsArgs;
  /**
   * Whether the machine runs. Default `Running`. Known when the program runs. `Stopped` shuts the machine down
   * (the cloud stops billing its compute time; its disk, and a static address, stay billed) and keeps the disk, the
   * private address, the static address when `staticIp` is set, the certificates and the state; nothing is replaced.
   * Only the `aws` and `gcp` sources accept it: for the others it is rejected before any resource is created, with
   * what to do instead. While stopped, no remote step runs: a change to the engine or TLS inputs waits and is
   * applied by the next `pulumi up` with `Running`. Back to `Running`, the host is ready when the engine answers
   * the same mutual-TLS check as after a create; without `staticIp` the machine gets a new public address, and the
   * server certificate is reissued for it, so `dockerHost` and the client's `DOCKER_HOST` change. A new `aws` host
   * deployed `Stopped` is provisioned, then stopped; a new `gcp` host must be deployed `Running` first (the Google
   * provider creates instances running only).
   */
  power?: PowerState;
}
