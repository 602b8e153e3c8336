import * as pulumi from "@pulumi/pulumi";
import { dockerHostUrl, serverSans } from "./addresses";
import { DockerHostArgs } from "./args";
import { ClientIdentity, clientOutputs } from "./clients";
import { provisionEngine } from "./engine/steps";
import { addressRoles } from "./machines/cidrs";
import { HostFirewall, hostFirewall } from "./machines/firewall";
import { isHeld, provisionedSignal } from "./power";
import { requireUsableAgentSocket } from "./remote/agent";
import { resolveArgs } from "./resolve";
import { createTls } from "./tls";

/**
 * A Linux machine running Docker Engine whose API is protected by mutual TLS: Docker Machine, declaratively.
 *
 * DockerHost creates a machine in a cloud (behind a firewall of its own that admits only `allowedCidrs`, with an
 * SSH host key it generates and pins) or adopts one over SSH (`existing`). It installs Docker Engine, issues a CA,
 * a server and a client certificate, and configures dockerd to listen on the engine port with TLS verification;
 * every change is confirmed with a mutual-TLS request before it counts as done, and rolled back if it fails.
 * Changing a label, mirror, log option, the certificates or the engine version updates the host in place: nothing
 * is replaced. The machine sources are the inputs below; exactly one is set.
 */
export class DockerHost extends pulumi.ComponentResource {
  /** The Docker Engine endpoint for clients, e.g. `tcp://203.0.113.10:2376` (IPv6 addresses bracketed). */
  public readonly dockerHost: pulumi.Output<string>;
  /** The address clients use to reach the machine: for cloud machines the static address when `staticIp` is set, else the public IP. */
  public readonly address: pulumi.Output<string>;
  /**
   * The machine's public IPv4 address, or its IPv6 address where a cloud machine has no public IPv4 (cloud machines:
   * the static address when `staticIp` is set). For an existing machine: `existing.host` when it is a public IP
   * address, else empty.
   */
  public readonly publicIp: pulumi.Output<string>;
  /**
   * The machine's private IPv4 address in its network (VPC, VNet); empty when it is in none. For an existing
   * machine: `existing.host` when it is a private IP address (RFC 1918, unique local, link local, CGNAT), else empty.
   */
  public readonly privateIp: pulumi.Output<string>;
  /** The CA certificate (PEM) that signed the server and client certificates: the client's `ca.pem`. */
  public readonly caCert: pulumi.Output<string>;
  /** The client certificate (PEM): the client's `cert.pem`. */
  public readonly clientCert: pulumi.Output<string>;
  /** The client private key (PEM): the client's `key.pem`. Secret. */
  public readonly clientKey: pulumi.Output<string>;
  /** The SSH login user. */
  public readonly sshUser: pulumi.Output<string>;
  /** The SSH private key that logs in to the machine. Secret. */
  public readonly sshPrivateKey: pulumi.Output<string>;
  /** The SSH port of the machine. */
  public readonly sshPort: pulumi.Output<number>;
  /** The machine's pinned SSH host key (`ssh-ed25519 AAAA...`), so other tools can verify the host too; empty when none is pinned. */
  public readonly sshHostKey: pulumi.Output<string>;
  /** The version Docker Engine reports over TLS after provisioning, e.g. `27.5.1`. */
  public readonly engineVersion: pulumi.Output<string>;
  /**
   * The cloud firewall DockerHost created for the machine, so other components can add rules to it (DockerSwarm
   * admits its members on the swarm ports): `kind` (the cloud machine source's kind, or `none` for an existing
   * machine; known when the program runs) and the ids of that kind.
   */
  public readonly firewall: HostFirewall;
  /**
   * Which machine source the host came from: the name of the input that was set (`existing`, or the cloud's), what
   * Docker Machine called the driver. `docker-host ls --filter source=NAME` reads it.
   */
  public readonly source: pulumi.Output<string>;
  /**
   * The power state as the program set it (`power`, `Running` by default): what the last `pulumi up` applied, not a
   * reading of the cloud (a machine stopped or started outside Pulumi shows here after the next `pulumi up`, which
   * puts it back into this state). `Stopped` only with a machine source that accepts it (see `power`).
   */
  public readonly power: pulumi.Output<string>;
  /**
   * The named client identities of `tls.clients`, by name, each with its certificate, key (secret), the CA to
   * verify the engine with and the end of its certificate; empty without `tls.clients`. The names are known when
   * the program runs. `docker-host env --client NAME` writes one as a bundle.
   */
  public readonly clients: Record<string, ClientIdentity>;
  /** Environment for the docker CLI: `DOCKER_HOST` and `DOCKER_TLS_VERIFY` ("1"); add `DOCKER_CERT_PATH` pointing at a directory with ca.pem, cert.pem and key.pem. */
  public readonly env: pulumi.Output<Record<string, string>>;

  // When the certificates end, as outputs of DockerHost itself: `docker-host ls` and other tools read them from
  // the stack without knowing DockerHost's child resources (whose names and types may change).
  /**
   * When the server certificate the engine presents stops being valid (RFC 3339, e.g. `2027-12-06T10:00:00Z`).
   * It is reissued by `pulumi up` once it is within `tls.earlyRenewalDays` of this time, or when `tls.rotation`
   * changes.
   */
  public readonly serverCertValidUntil: pulumi.Output<string>;
  /**
   * When the client certificate (`clientCert`) stops being valid (RFC 3339, e.g. `2027-12-06T10:00:00Z`); clients
   * need the new bundle after it is reissued (same rules as `serverCertValidUntil`).
   */
  public readonly clientCertValidUntil: pulumi.Output<string>;

  /**
   * @param name The unique name of the DockerHost; the names of its child resources start with it.
   * @param args Exactly one machine source, plus optional engine and TLS settings.
   * @param opts Resource options.
   */
  constructor(name: string, args: DockerHostArgs, opts?: pulumi.ComponentResourceOptions) {
    // Every input known now is checked before any resource exists, this component included.
    const resolved = resolveArgs(name, args);
    requireUsableAgentSocket(`DockerHost ${JSON.stringify(name)}`);
    super("docker-host:index:DockerHost", name, args, opts);

    // Where the machine comes from is the source's business (machines/): from here on it is a Machine.
    const provisioned = provisionedSignal();
    const machine = resolved.machine.create({
      name,
      allowedCidrs: resolved.allowedCidrs,
      enginePort: resolved.port,
      parent: this,
      power: resolved.power,
      provisioned: provisioned.promise,
    });
    // Stopped: the steps cannot reach the machine; their changes (and the certificate's names) wait for a start.
    const held = isHeld(resolved.power);
    const tlsMaterial = createTls(
      name,
      {
        algorithm: resolved.algorithm,
        validityDays: resolved.validityDays,
        earlyRenewalDays: resolved.earlyRenewalDays,
        rotation: resolved.rotation,
        sans: pulumi
          .all([machine.addresses, resolved.extraSans])
          .apply(([addresses, extra]) => serverSans(addresses, extra)),
        ...(resolved.caCertPem !== undefined ? { caCertPem: resolved.caCertPem } : {}),
        ...(resolved.caKeyPem !== undefined ? { caKeyPem: resolved.caKeyPem } : {}),
        clients: resolved.clients,
        holdNames: held,
      },
      this,
    );
    const engine = provisionEngine(name, machine, resolved, tlsMaterial, this, held);
    provisioned.resolve([engine.ready]);
    warnNearExpiry(tlsMaterial.serverValidUntil, resolved.earlyRenewalDays, this);

    this.address = machine.address;
    const roles = machine.address.apply(addressRoles);
    this.publicIp = machine.publicIp ?? roles.apply((r) => r.publicIp);
    this.privateIp = machine.privateIp ?? roles.apply((r) => r.privateIp);
    // DOCKER_HOST is published once the engine serves it, so consumers never dial a half-configured host.
    this.dockerHost = pulumi
      .all([machine.address, resolved.port, engine.engineVersion])
      .apply(([address, port]) => dockerHostUrl(address, port));
    this.caCert = tlsMaterial.caCertPem;
    this.clientCert = tlsMaterial.clientCertPem;
    this.clientKey = pulumi.secret(tlsMaterial.clientKeyPem);
    this.sshPrivateKey = pulumi.secret(machine.connection.apply((c) => c.privateKey));
    // The connection is secret as a whole (it holds the key); its user, port and host key are not.
    this.sshUser = pulumi.unsecret(machine.connection.apply((c) => c.user));
    this.sshPort = pulumi.unsecret(machine.connection.apply((c) => c.port));
    this.sshHostKey = pulumi.unsecret(machine.connection.apply((c) => c.hostKey ?? ""));
    this.engineVersion = engine.engineVersion;
    // A plain object (its ids are Outputs): the kind decides which resources others create, so it is known now.
    this.firewall = hostFirewall(machine.firewall);
    this.source = pulumi.output(resolved.source);
    this.power = pulumi.output(resolved.power as string);
    this.clients = clientOutputs(tlsMaterial.identities, this.caCert);
    this.env = this.dockerHost.apply((url): Record<string, string> => ({
      DOCKER_HOST: url,
      DOCKER_TLS_VERIFY: "1",
    }));

    this.serverCertValidUntil = tlsMaterial.serverValidUntil;
    this.clientCertValidUntil = tlsMaterial.clientValidUntil;

    this.registerOutputs({
      dockerHost: this.dockerHost,
      address: this.address,
      publicIp: this.publicIp,
      privateIp: this.privateIp,
      caCert: this.caCert,
      clientCert: this.clientCert,
      clientKey: this.clientKey,
      sshUser: this.sshUser,
      sshPrivateKey: this.sshPrivateKey,
      sshPort: this.sshPort,
      sshHostKey: this.sshHostKey,
      engineVersion: this.engineVersion,
      firewall: this.firewall,
      source: this.source,
      power: this.power,
      clients: this.clients,
      env: this.env,

      serverCertValidUntil: this.serverCertValidUntil,
      clientCertValidUntil: this.clientCertValidUntil,
    });
  }
}

/** A certificate inside its renewal window gets a warning on every run until it is reissued. */
function warnNearExpiry(
  validUntil: pulumi.Output<string>,
  earlyDays: pulumi.Output<number>,
  resource: pulumi.Resource,
): void {
  pulumi.all([validUntil, earlyDays]).apply(([until, early]) => {
    const end = Date.parse(until);
    if (Number.isNaN(end)) return;
    const daysLeft = Math.floor((end - Date.now()) / 86_400_000);
    if (daysLeft <= early) {
      void pulumi.log.warn(
        `the server certificate expires in ${daysLeft} days (${until}); change tls.rotation to reissue the certificates`,
        resource,
      );
    }
  });
}
