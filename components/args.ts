import * as pulumi from "@pulumi/pulumi";

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
   * The machine's SSH host public key in authorized_keys form (`ssh-ed25519 AAAA...`). Every remote command
   * checks the host against it. When absent, the host is not verified and a warning is logged on every run.
   */
  hostKey?: pulumi.Input<string>;
  /**
   * When true, deleting the DockerHost removes what it added to the machine: the systemd drop-in, the
   * certificates and its daemon.json keys (the daemon.json found at adoption is restored), then restarts Docker
   * on its socket. Docker itself stays installed. Default false: deleting leaves the host as it is.
   */
  cleanupOnDelete?: pulumi.Input<boolean>;
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
}

/** The inputs of a DockerHost. Exactly one machine source must be set. */
export interface DockerHostArgs {
  /** Adopt a machine that already exists and is reachable over SSH. */
  existing?: ExistingMachineArgs;
  /** Docker Engine installation and configuration. */
  engine?: EngineArgs;
  /** The Engine API's certificates. */
  tls?: TlsArgs;
}
