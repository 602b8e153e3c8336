import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { certsBase, hostDir, writeBundle } from "../../cli/bundle";
import { dockerEndpoint } from "../../cli/context";
import { CliError, ExitCode } from "../../cli/errors";
import {
  HostRecord,
  hostsFromDeployment,
  missingNote,
  pickHost,
  revealSecrets,
  SSH_OUTPUTS,
  urnName,
} from "../../cli/hosts";
import { knownHostsLine, sshArgs } from "../../cli/ssh";
import { deployment, dockerHostResources, secret, SECRET_SIG } from "./helpers/checkpoint";

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
    assert.deepEqual(web.serverCertValidUntil, new Date("2027-12-06T10:00:00Z"));
    assert.deepEqual(web.clientCertValidUntil, new Date("2027-12-07T10:00:00Z"));
    assert.deepEqual(web.missing, []);
  });

  it("takes SSH access from the DockerHost's outputs: login, port and the pinned host key", () => {
    const [web] = hostsFromDeployment(deployment(dockerHostResources("web", "203.0.113.10")));
    assert.deepEqual(web?.ssh, {
      host: "203.0.113.10",
      port: 22,
      user: "root",
      privateKey: "SSH-web",
      hostKey: "ssh-ed25519 AAAAweb",
    });
    const [other] = hostsFromDeployment(
      deployment(
        dockerHostResources("web", "203.0.113.10", {
          outputs: { sshPort: 2222, sshUser: "admin", sshHostKey: "" },
        }),
      ),
    );
    assert.deepEqual(
      other?.ssh,
      { host: "203.0.113.10", port: 2222, user: "admin", privateKey: "SSH-web" },
      "an empty sshHostKey: no key pinned (ssh then refuses to connect)",
    );
  });

  it("a stack an older DockerHost deployed: the missing outputs named, never looked for in the children", () => {
    const [web] = hostsFromDeployment(
      deployment(
        dockerHostResources("web", "203.0.113.10", {
          without: ["sshPort", "sshHostKey", "serverCertValidUntil", "clientCertValidUntil"],
        }),
      ),
    );
    assert.ok(web !== undefined);
    assert.deepEqual(web.missing, [
      "sshPort",
      "sshHostKey",
      "serverCertValidUntil",
      "clientCertValidUntil",
    ]);
    assert.equal(web.ssh, undefined, "the remote steps' recorded connection is not used");
    assert.equal(web.serverCertValidUntil, undefined, "nor the server-cert child's end");
    assert.equal(web.clientCertValidUntil, undefined);
    assert.equal(
      missingNote(web, SSH_OUTPUTS),
      " (no sshPort, sshHostKey in the stack: an older DockerHost deployed it)",
    );
    assert.equal(missingNote(web, ["dockerHost"]), "");
  });

  it("reads an empty or resource-less checkpoint as no hosts", () => {
    assert.deepEqual(hostsFromDeployment({}), []);
    assert.deepEqual(hostsFromDeployment(undefined), []);
    assert.deepEqual(hostsFromDeployment(deployment()), []);
  });

  it("reveals nested secrets and refuses encrypted ones with a pointer to the passphrase", () => {
    assert.deepEqual(revealSecrets({ a: [secret({ b: secret("c") })] }), { a: [{ b: "c" }] });
    expectCliError(
      () => revealSecrets({ [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "x" }),
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
