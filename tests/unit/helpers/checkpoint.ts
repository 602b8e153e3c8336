// Checkpoints (the `deployment` of `pulumi stack export --show-secrets`) holding DockerHosts, for the CLI's
// tests. The children are there to prove that the CLI ignores them: their values differ from the DockerHost's
// own outputs, so a read of a child shows up as a different result.

/** Pulumi's marker for a secret in a checkpoint. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** A secret as `pulumi stack export --show-secrets` writes it: the JSON of the value in `plaintext`. */
export const secret = (value: unknown) => ({
  [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270",
  plaintext: JSON.stringify(value),
});

export const STACK_URN = "urn:pulumi:prod::app::pulumi:pulumi:Stack::app-prod";
export const hostUrn = (name: string) =>
  `urn:pulumi:prod::app::docker-host:index:DockerHost::${name}`;

/**
 * What the children look like: `deployed` as DockerHost names them today, `renamed` under other names and
 * behind an intermediate component, `absent`, or `misleading`: today's names with other values.
 */
export type Children = "deployed" | "renamed" | "absent" | "misleading";

export interface HostFixture {
  /** Outputs to set or override on the DockerHost (e.g. real PEMs). */
  outputs?: Record<string, unknown>;
  /** Outputs to leave out, as a stack deployed by an older DockerHost lacks them. */
  without?: readonly string[];
  children?: Children;
  /** The certificates the children hold (real PEMs make a read of them visible as days left); fakes if unset. */
  childPems?: { server: string; client: string };
}

/** Every output DockerHost records today (the ones the CLI does not read included). */
function hostOutputs(name: string, address: string): Record<string, unknown> {
  return {
    dockerHost: `tcp://${address}:2376`,
    address,
    publicIp: "",
    privateIp: address,
    caCert: `CA-${name}`,
    clientCert: `CERT-${name}`,
    clientKey: secret(`KEY-${name}`),
    sshUser: "root",
    sshPrivateKey: secret(`SSH-${name}`),
    sshPort: 22,
    sshHostKey: `ssh-ed25519 AAAA${name}`,
    engineVersion: "27.5.1",
    firewall: { kind: "none" },
    source: "existing",
    clients: {},
    env: { DOCKER_HOST: `tcp://${address}:2376`, DOCKER_TLS_VERIFY: "1" },
    serverCertValidUntil: "2027-12-06T10:00:00Z",
    clientCertValidUntil: "2027-12-07T10:00:00Z",
  };
}

/** The resources one DockerHost leaves in a checkpoint (the shape of a real export, trimmed). */
export function dockerHostResources(
  name: string,
  address: string,
  fixture: HostFixture = {},
): unknown[] {
  const urn = hostUrn(name);
  const outputs = Object.fromEntries(
    Object.entries({ ...hostOutputs(name, address), ...fixture.outputs }).filter(
      ([key]) => !(fixture.without ?? []).includes(key),
    ),
  );
  const children = fixture.children ?? "deployed";
  const misleading = children === "misleading";
  const group = `${name}-internals`;
  const parent = children === "renamed" ? `${urn}$docker-host:index:Group::${group}` : urn;
  const child = (type: string, suffix: string, extra: object) => ({
    urn: `${parent}$${type}::${children === "renamed" ? `${name}-v2-${suffix}-x` : `${name}-${suffix}`}`,
    type,
    parent,
    ...extra,
  });
  const pems = fixture.childPems ?? { server: `SERVER-PEM-${name}`, client: `CLIENT-PEM-${name}` };
  const cert = (role: "server" | "client") =>
    child("tls:index/locallySignedCert:LocallySignedCert", `${role}-cert`, {
      outputs: {
        // Misleading: each holds the other's certificate.
        certPem: misleading ? pems[role === "server" ? "client" : "server"] : pems[role],
        validityEndTime: misleading ? "2020-01-01T00:00:00Z" : "2027-12-06T10:00:00Z",
      },
    });
  const step = (role: string) =>
    child("command:remote:Command", role, {
      inputs: {
        connection: secret({
          host: misleading ? "198.51.100.99" : address,
          port: misleading ? 2222 : 22,
          user: misleading ? "admin" : "root",
          privateKey: misleading ? "OTHER-KEY" : `SSH-${name}`,
          hostKey: misleading ? "ssh-ed25519 OTHER" : `ssh-ed25519 AAAA${name}`,
          dialErrorLimit: 40,
        }),
        create: role,
      },
    });
  return [
    {
      urn,
      type: "docker-host:index:DockerHost",
      parent: STACK_URN,
      inputs: { existing: { host: address, privateKey: secret("SSH KEY") } },
      outputs,
    },
    ...(children === "renamed"
      ? [{ urn: parent, type: "docker-host:index:Group", parent: urn }]
      : []),
    ...(children === "absent"
      ? []
      : [cert("server"), cert("client"), step("wait"), step("install"), step("configure")]),
  ];
}

/** A checkpoint with the stack resource and the given resources. */
export function deployment(...resources: unknown[][]): unknown {
  return {
    manifest: {},
    resources: [{ urn: STACK_URN, type: "pulumi:pulumi:Stack" }, ...resources.flat()],
  };
}
