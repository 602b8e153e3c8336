import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { certsBase, hostDir, writeBundle } from "../../cli/bundle";
import { dockerEndpoint } from "../../cli/context";
import { CliError, ExitCode } from "../../cli/errors";
import { HostRecord, hostsFromDeployment, pickHost, revealSecrets, urnName } from "../../cli/hosts";
import { knownHostsLine, sshArgs } from "../../cli/ssh";

const SIG = "4dabf18193072939515e22adb298388d";
/** A secret as `pulumi stack export --show-secrets` writes it: the JSON of the value in `plaintext`. */
const secret = (value: unknown) => ({
  [SIG]: "1b47061264138c4ac30d75fd1eb44270",
  plaintext: JSON.stringify(value),
});
const STACK = "urn:pulumi:prod::app::pulumi:pulumi:Stack::app-prod";
const hostUrn = (name: string) => `urn:pulumi:prod::app::docker-host:index:DockerHost::${name}`;

/** The resources one DockerHost leaves in a checkpoint (the shape of a real export, trimmed). */
function dockerHostResources(name: string, address: string, withSteps = true): unknown[] {
  const urn = hostUrn(name);
  const child = (type: string, suffix: string, extra: object) => ({
    urn: `urn:pulumi:prod::app::docker-host:index:DockerHost$${type}::${name}-${suffix}`,
    type,
    parent: urn,
    ...extra,
  });
  return [
    {
      urn,
      type: "docker-host:index:DockerHost",
      parent: STACK,
      inputs: { existing: { host: address, privateKey: secret("SSH KEY") } },
      outputs: {
        dockerHost: `tcp://${address}:2376`,
        address,
        caCert: `CA-${name}`,
        clientCert: `CERT-${name}`,
        clientKey: secret(`KEY-${name}`),
        engineVersion: "27.5.1",
        env: { DOCKER_HOST: `tcp://${address}:2376`, DOCKER_TLS_VERIFY: "1" },
        sshUser: "root",
        sshPrivateKey: secret(`SSH-${name}`),
      },
    },
    child("tls:index/locallySignedCert:LocallySignedCert", "client-cert", {
      outputs: { certPem: `CLIENT-PEM-${name}` },
    }),
    child("tls:index/locallySignedCert:LocallySignedCert", "server-cert", {
      outputs: { certPem: `SERVER-PEM-${name}` },
    }),
    ...(withSteps
      ? [
          child("command:remote:Command", "wait", {
            inputs: {
              connection: secret({
                host: address,
                port: 2222,
                user: "admin",
                privateKey: `SSH-${name}`,
                hostKey: `ssh-ed25519 AAAA${name}`,
                dialErrorLimit: 40,
              }),
              create: "wait",
            },
          }),
        ]
      : []),
  ];
}

function deployment(...resources: unknown[][]): unknown {
  return {
    manifest: {},
    resources: [{ urn: STACK, type: "pulumi:pulumi:Stack" }, ...resources.flat()],
  };
}

function expectCliError(fn: () => unknown, code: ExitCode, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CliError, String(e));
    assert.equal(e.exitCode, code);
    assert.match(e.message, message);
    return true;
  });
}

describe("docker-host: the DockerHosts of a stack", () => {
  it("finds every DockerHost resource, named by its resource name, with its outputs and secrets revealed", () => {
    const hosts = hostsFromDeployment(
      deployment(dockerHostResources("web", "203.0.113.10"), dockerHostResources("db", "10.0.0.5")),
    );
    assert.deepEqual(
      hosts.map((h) => h.name),
      ["web", "db"],
    );
    const web = hosts[0] as HostRecord;
    assert.equal(web.dockerHost, "tcp://203.0.113.10:2376");
    assert.equal(web.address, "203.0.113.10");
    assert.equal(web.caCert, "CA-web");
    assert.equal(web.clientCert, "CERT-web");
    assert.equal(web.clientKey, "KEY-web");
    assert.equal(web.engineVersion, "27.5.1");
    assert.equal(web.serverCert, "SERVER-PEM-web", "the server certificate, not the client's");
  });

  it("takes SSH access from the remote steps' connection: login, port and the pinned host key", () => {
    const [web] = hostsFromDeployment(deployment(dockerHostResources("web", "203.0.113.10")));
    assert.deepEqual(web?.ssh, {
      host: "203.0.113.10",
      port: 2222,
      user: "admin",
      privateKey: "SSH-web",
      hostKey: "ssh-ed25519 AAAAweb",
    });
  });

  it("prefers sshHostKey and sshPort outputs when the DockerHost publishes them", () => {
    const resources = dockerHostResources("web", "203.0.113.10") as {
      outputs?: Record<string, unknown>;
    }[];
    Object.assign(resources[0]?.outputs ?? {}, { sshHostKey: "ssh-ed25519 OUT", sshPort: 22 });
    const [web] = hostsFromDeployment(deployment(resources));
    assert.deepEqual(web?.ssh, {
      host: "203.0.113.10",
      port: 22,
      user: "root",
      privateKey: "SSH-web",
      hostKey: "ssh-ed25519 OUT",
    });
  });

  it("has no SSH access when nothing records a connection", () => {
    const [web] = hostsFromDeployment(
      deployment(dockerHostResources("web", "203.0.113.10", false)),
    );
    assert.equal(web?.ssh, undefined);
  });

  it("reads an empty or resource-less checkpoint as no hosts", () => {
    assert.deepEqual(hostsFromDeployment({}), []);
    assert.deepEqual(hostsFromDeployment(undefined), []);
    assert.deepEqual(hostsFromDeployment(deployment()), []);
  });

  it("reveals nested secrets and refuses encrypted ones with a pointer to the passphrase", () => {
    assert.deepEqual(revealSecrets({ a: [secret({ b: secret("c") })] }), { a: [{ b: "c" }] });
    expectCliError(
      () => revealSecrets({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "x" }),
      ExitCode.Stack,
      /PULUMI_CONFIG_PASSPHRASE/,
    );
  });

  it("takes the name from the end of the URN, whatever the parent chain", () => {
    assert.equal(
      urnName("urn:pulumi:s::p::a:b:C$docker-host:index:DockerHost::my-host"),
      "my-host",
    );
  });
});

describe("docker-host: picking a host", () => {
  const hosts = hostsFromDeployment(
    deployment(dockerHostResources("web", "203.0.113.10"), dockerHostResources("db", "10.0.0.5")),
  );

  it("picks by name, and the only one when no name is given", () => {
    assert.equal(pickHost(hosts, "db", "prod").name, "db");
    assert.equal(pickHost(hosts.slice(0, 1), undefined, "prod").name, "web");
  });

  it("exit code 4: no DockerHost, unknown name, several and no name", () => {
    expectCliError(
      () => pickHost([], undefined, "prod"),
      ExitCode.Host,
      /stack prod has no DockerHost/,
    );
    expectCliError(
      () => pickHost(hosts, "cache", "prod"),
      ExitCode.Host,
      /no DockerHost named cache \(it has: web, db\)/,
    );
    expectCliError(
      () => pickHost(hosts, undefined, "prod"),
      ExitCode.Host,
      /2 DockerHosts \(web, db\): name one/,
    );
  });

  it("exit code 4 for a host whose first pulumi up did not finish (no bundle yet)", () => {
    const half = { ...(hosts[0] as HostRecord), dockerHost: "", clientKey: "" };
    expectCliError(
      () => pickHost([half], undefined, "prod"),
      ExitCode.Host,
      /has no dockerHost, clientKey in the stack yet/,
    );
  });
});

describe("docker-host: the bundle on disk", () => {
  const host = hostsFromDeployment(
    deployment(dockerHostResources("web", "203.0.113.10")),
  )[0] as HostRecord;

  it("one directory per project, stack and host: 0700, key 0600", () => {
    const base = mkdtempSync(path.join(tmpdir(), "dh-cli-bundle-"));
    const dir = writeBundle(hostDir(base, "app", "org/app/prod", "web"), host);
    assert.equal(dir, path.join(base, "app", "org_app_prod", "web"));
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(path.join(dir, "key.pem")).mode & 0o777, 0o600);
    assert.equal(statSync(path.join(dir, "ca.pem")).mode & 0o777, 0o644);
    assert.equal(readFileSync(path.join(dir, "ca.pem"), "utf8"), "CA-web");
    assert.equal(readFileSync(path.join(dir, "cert.pem"), "utf8"), "CERT-web");
    assert.equal(readFileSync(path.join(dir, "key.pem"), "utf8"), "KEY-web");
    // A second write (rotated certificates) replaces the files and tightens loosened modes.
    writeBundle(dir, { ...host, clientKey: "KEY-2" });
    assert.equal(readFileSync(path.join(dir, "key.pem"), "utf8"), "KEY-2");
  });

  it("base directory: the option, else $DOCKERHOST_CERTS_DIR, else ~/.docker/docker-host", () => {
    assert.equal(certsBase("/x", { DOCKERHOST_CERTS_DIR: "/y" }), "/x");
    assert.equal(certsBase(undefined, { DOCKERHOST_CERTS_DIR: "/y" }), "/y");
    assert.match(certsBase(undefined, {}), /\/\.docker\/docker-host$/);
  });

  it("docker context endpoint: the host and the three files, CSV-quoted when needed", () => {
    assert.equal(
      dockerEndpoint("tcp://203.0.113.10:2376", "/c/web"),
      "host=tcp://203.0.113.10:2376,ca=/c/web/ca.pem,cert=/c/web/cert.pem,key=/c/web/key.pem",
    );
    assert.equal(
      dockerEndpoint("tcp://h:2376", '/a,b/"q"'),
      'host=tcp://h:2376,"ca=/a,b/""q""/ca.pem","cert=/a,b/""q""/cert.pem","key=/a,b/""q""/key.pem"',
    );
  });
});

describe("docker-host ssh: pinned host key, never StrictHostKeyChecking=no", () => {
  const access = {
    host: "203.0.113.10",
    port: 2222,
    user: "admin",
    privateKey: "K",
    hostKey: "ssh-ed25519 AAAAkey root@web",
  };

  it("known_hosts pins the key for host and port", () => {
    assert.equal(
      knownHostsLine("203.0.113.10", 22, "ssh-ed25519 AAAAkey"),
      "203.0.113.10 ssh-ed25519 AAAAkey\n",
    );
    assert.equal(
      knownHostsLine("203.0.113.10", 2222, "ssh-ed25519 AAAAkey root@web"),
      "[203.0.113.10]:2222 ssh-ed25519 AAAAkey\n",
    );
  });

  it("checks strictly against that file only, and passes the command after --", () => {
    const args = sshArgs(access, "/t/id", "/t/known_hosts", ["docker", "ps", "-a"]);
    const options = args.filter((_, i) => args[i - 1] === "-o");
    assert.ok(options.includes("StrictHostKeyChecking=yes"));
    assert.ok(options.includes("UserKnownHostsFile=/t/known_hosts"));
    assert.ok(options.includes("GlobalKnownHostsFile=/dev/null"));
    assert.ok(options.includes("IdentitiesOnly=yes"));
    assert.ok(!args.join(" ").includes("StrictHostKeyChecking=no"));
    assert.deepEqual(args.slice(0, 6), ["-i", "/t/id", "-p", "2222", "-l", "admin"]);
    assert.deepEqual(args.slice(-5), ["--", "203.0.113.10", "docker", "ps", "-a"]);
    assert.deepEqual(sshArgs(access, "/t/id", "/t/kh", []).slice(-2), ["--", "203.0.113.10"]);
  });
});
