import * as assert from "node:assert/strict";
import * as net from "node:net";
import { HostRecord } from "../../cli/hosts";
import { engineStandIn, listen, Pki, pki } from "./helpers/cli";
import {
  certCell,
  daysLeft,
  endpoint,
  LS_HEADER,
  lsRow,
  notAfter,
  probe,
  renderTable,
} from "../../cli/ls";

function hostFor(port: number, p: Pki): HostRecord {
  return {
    name: "web",
    urn: "urn:pulumi:s::p::docker-host:index:DockerHost::web",
    dockerHost: `tcp://127.0.0.1:${String(port)}`,
    address: "127.0.0.1",
    source: "existing",
    clients: {},
    publicOutputs: {},
    caCert: p.ca,
    clientCert: p.clientCert,
    clientKey: p.clientKey,
    engineVersion: "27.5.1",
    serverCertValidUntil: notAfter(p.serverCert),
    clientCertValidUntil: notAfter(p.clientCert),
    missing: [],
  };
}

describe("docker-host ls", function () {
  this.timeout(30000);
  const p = pki({ server: 365, client: 12 });
  const now = new Date();

  describe("probe: a mutual-TLS GET /version against a loopback engine stand-in", () => {
    let engine: Awaited<ReturnType<typeof engineStandIn>>;
    let port: number;

    before(async () => {
      engine = await engineStandIn(p);
      port = engine.port;
    });
    after(() => {
      engine.close();
    });

    it("Running, with the version and the end of the certificate the engine presented", async () => {
      const found = await probe(hostFor(port, p), 5000);
      assert.equal(found.state, "Running", JSON.stringify(found));
      assert.equal(found.version, "27.5.1");
      assert.deepEqual(engine.seen, ["/version"]);
      assert.equal(daysLeft(found.serverNotAfter ?? new Date(0), now), 364);
    });

    it("Error when the engine refuses the client (another CA's certificate)", async () => {
      const other = pki({ server: 365, client: 365 });
      const found = await probe(
        { ...hostFor(port, p), clientCert: other.clientCert, clientKey: other.clientKey },
        5000,
      );
      assert.equal(found.state, "Error");
      assert.ok(found.error, "the reason is kept for the ERRORS column");
    });

    it("Error when the engine's certificate is not from the stack's CA", async () => {
      const other = pki({ server: 365, client: 365 });
      const found = await probe({ ...hostFor(port, p), caCert: other.ca }, 5000);
      assert.equal(found.state, "Error");
      assert.match(found.error ?? "", /certificate/i);
    });

    it("Timeout when nothing answers within the limit", async () => {
      const silent = net.createServer(() => undefined);
      const silentPort = await listen(silent);
      const start = Date.now();
      const found = await probe(hostFor(silentPort, p), 300);
      silent.close();
      assert.equal(found.state, "Timeout");
      assert.ok(Date.now() - start < 3000, "gave up at the limit");
    });

    it("Stopped when nothing listens (dockerd stopped)", async () => {
      const closed = net.createServer();
      const closedPort = await listen(closed);
      await new Promise((r) => closed.close(r));
      const found = await probe(hostFor(closedPort, p), 2000);
      assert.equal(found.state, "Stopped");
      assert.match(found.error ?? "", /ECONNREFUSED/);
    });
  });

  it("splits DOCKER_HOST into host and port, IPv6 unbracketed", () => {
    assert.deepEqual(endpoint("tcp://203.0.113.10:2376"), { host: "203.0.113.10", port: 2376 });
    assert.deepEqual(endpoint("tcp://[2001:db8::1]:2377"), { host: "2001:db8::1", port: 2377 });
  });

  it("certificate cells: days left, flagged under 30, expired, unknown", () => {
    const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000 + 3_600_000);
    assert.equal(certCell(inDays(364), now), "364d");
    assert.equal(certCell(inDays(30), now), "30d");
    assert.equal(certCell(inDays(29), now), "29d (renew)");
    assert.equal(certCell(inDays(-2), now), "expired");
    assert.equal(certCell(undefined, now), "Unknown");
    assert.equal(notAfter("not a certificate"), undefined);
  });

  it("a row: the live answer first, the recorded serverCertValidUntil when unreachable; warnings under 30 days", () => {
    const host = hostFor(2376, p);
    const running = lsRow(host, { state: "Running", version: "28.0.1" }, now);
    assert.deepEqual(running.row, [
      "web",
      "127.0.0.1",
      "tcp://127.0.0.1:2376",
      "Running",
      "28.0.1",
      "364d",
      "11d (renew)",
      "-",
      "",
    ]);
    assert.equal(running.warnings.length, 1);
    assert.match(
      running.warnings[0] ?? "",
      /^web: the client certificate expires in 11 days \(.+\): change tls\.rotation and run pulumi up$/,
    );
    const down = lsRow(
      { ...host, serverCertValidUntil: undefined },
      { state: "Timeout", error: "no answer in 5 s" },
      now,
    );
    assert.equal(down.warnings.length, 1, "an empty recorded value is no older DockerHost");
    assert.deepEqual(down.row.slice(3), [
      "Timeout",
      "Unknown",
      "Unknown",
      "11d (renew)",
      "-",
      "no answer in 5 s",
    ]);
  });

  it("a stack an older DockerHost deployed: Unknown, with a warning to run pulumi up; the client's end from clientCert", () => {
    const old: HostRecord = {
      ...hostFor(2376, p),
      serverCertValidUntil: undefined,
      clientCertValidUntil: undefined,
      missing: ["serverCertValidUntil", "clientCertValidUntil"],
    };
    const down = lsRow(old, { state: "Timeout", error: "no answer in 5 s" }, now);
    assert.deepEqual(down.row.slice(5), ["Unknown", "11d (renew)", "-", "no answer in 5 s"]);
    assert.equal(down.warnings.length, 2);
    assert.equal(
      down.warnings[0],
      "web: the server certificate's end is unknown (no serverCertValidUntil in the stack: an older DockerHost deployed it): run pulumi up to record it",
    );
    assert.match(down.warnings[1] ?? "", /^web: the client certificate expires in 11 days/);
    const running = lsRow(
      old,
      { state: "Running", version: "27.5.1", serverNotAfter: notAfter(p.serverCert) },
      now,
    );
    assert.equal(running.row[5], "364d", "the live answer needs no recorded end");
    assert.equal(running.warnings.length, 1, "only the client's renewal warning");
  });

  it("lays the table out like Docker Machine's ls (tabwriter: padding 3, minimum width 5)", () => {
    assert.equal(
      renderTable([
        LS_HEADER,
        [
          "web",
          "203.0.113.10",
          "tcp://203.0.113.10:2376",
          "Running",
          "27.5.1",
          "364d",
          "364d",
          "alice 364d, ci 12d (renew)",
          "",
        ],
        [
          "db",
          "-",
          "tcp://10.0.0.5:2376",
          "Timeout",
          "Unknown",
          "Unknown",
          "12d (renew)",
          "-",
          "no answer in 5 s",
        ],
      ]),
      "NAME   ADDRESS        DOCKER_HOST               STATE     DOCKER    SERVER CERT   CLIENT CERT   IDENTITIES                   ERRORS\n" +
        "web    203.0.113.10   tcp://203.0.113.10:2376   Running   27.5.1    364d          364d          alice 364d, ci 12d (renew)\n" +
        "db     -              tcp://10.0.0.5:2376       Timeout   Unknown   Unknown       12d (renew)   -                            no answer in 5 s\n",
    );
  });
});
