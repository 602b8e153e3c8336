import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerHost, DockerHostArgs } from "../../components";
import { pemBundle } from "../../components/pki";
import {
  fakeKey,
  installMocks,
  itRejectsBeforeAnyResource,
  registeredUnder,
  registeredUrns,
  settle,
  valueOf,
} from "./helpers/mocks";

// Named client identities (`tls.clients`) under the mocks: the resources each name gets, the outputs, what the
// configure step hands dockerd to trust, and every bad input with its exact message before any resource.

const existing = {
  host: "203.0.113.10",
  privateKey: fakeKey("ssh"),
  hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyForTests",
};
const withClients = (
  clients: unknown,
  tls: Omit<NonNullable<DockerHostArgs["tls"]>, "clients"> = {},
): DockerHostArgs => ({ existing, tls: { ...tls, clients: clients as never } });

async function deploy(name: string, args: DockerHostArgs) {
  const host = new DockerHost(name, args);
  await valueOf(host.dockerHost);
  await settle();
  return { host, ...registeredUnder(name) };
}

/** The CA bundle the configure step writes for dockerd (its `tlscacert`), as the PEM blocks in it. */
function trustedCas(create: string): string[] {
  const value = /DH_CA_CERT='([^']*)'/.exec(create)?.[1] ?? "";
  return value.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

describe("named client identities (tls.clients)", () => {
  before(installMocks);

  it("gives each name a CA and a certificate of its own, all under the DockerHost, the name as common name", async () => {
    const { mine, byName } = await deploy("team", withClients({ alice: {}, ci: {} }));
    const identityResources = mine
      .filter((r) => r.name.includes("-identity-"))
      .map((r) => `${r.type} ${r.name}`)
      .sort();
    const expected = ["alice", "ci"].flatMap((id) => [
      `tls:index/certRequest:CertRequest team-identity-${id}-csr`,
      `tls:index/locallySignedCert:LocallySignedCert team-identity-${id}-cert`,
      `tls:index/privateKey:PrivateKey team-identity-${id}-ca-key`,
      `tls:index/privateKey:PrivateKey team-identity-${id}-key`,
      `tls:index/selfSignedCert:SelfSignedCert team-identity-${id}-ca`,
    ]);
    assert.deepEqual(identityResources, expected.sort());
    assert.deepEqual(byName("identity-alice-csr").inputs.subject, {
      commonName: "alice",
      organization: "docker-host",
    });
    assert.deepEqual(byName("identity-ci-cert").inputs.allowedUses, [
      "digital_signature",
      "key_encipherment",
      "client_auth",
    ]);
    assert.equal(byName("identity-ci-ca").inputs.isCaCertificate, true);
    for (const urn of registeredUrns().filter((u) => u.includes("::team-identity-")))
      assert.match(urn, /::docker-host:index:DockerHost\$/, `${urn} is parented by the DockerHost`);
  });

  it("outputs each identity's bundle, its key secret, the engine's CA to verify with, and its end", async () => {
    const { host } = await deploy("bundles", withClients({ alice: {}, ci: { validityDays: 60 } }));
    assert.deepEqual(Object.keys(host.clients), ["alice", "ci"]);
    const alice = host.clients.alice;
    assert.ok(alice !== undefined);
    assert.equal(await valueOf(alice.key), fakeKey("bundles-identity-alice-key"));
    assert.equal(await pulumi.isSecret(alice.key), true);
    assert.equal(await pulumi.isSecret(alice.cert), false);
    assert.match(await valueOf(alice.cert), /BEGIN CERTIFICATE/);
    assert.equal(await valueOf(alice.caCert), await valueOf(host.caCert));
    assert.match(await valueOf(alice.validUntil), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The stack's own certificate stays: the configure step's self-check and @pulumi/docker programs use it.
    assert.equal(await valueOf(host.clientKey), fakeKey("bundles-client-key"));
  });

  it("takes validity from the identity, else from tls; an identity's rotation is its own", async () => {
    const { byName } = await deploy(
      "validity",
      withClients(
        { alice: {}, ci: { validityDays: 30, earlyRenewalDays: 7 } },
        { validityDays: 90 },
      ),
    );
    assert.equal(byName("identity-alice-cert").inputs.validityPeriodHours, 90 * 24);
    assert.equal(byName("identity-alice-cert").inputs.earlyRenewalHours, 30 * 24);
    assert.equal(byName("identity-ci-cert").inputs.validityPeriodHours, 30 * 24);
    assert.equal(byName("identity-ci-cert").inputs.earlyRenewalHours, 7 * 24);
  });

  it("has dockerd trust the host's CA and each identity's CA; a removed name's CA and preview line go", async () => {
    const create = async (name: string, args: DockerHostArgs) =>
      String((await deploy(name, args)).byName("configure").inputs.create);
    const none = await create("trust-none", { existing });
    const two = await create("trust-two", withClients({ alice: {}, ci: {} }));
    const one = await create("trust-one", withClients({ ci: {} }));
    assert.equal(trustedCas(none).length, 1, "without identities: the host's CA alone, as before");
    assert.equal(trustedCas(two).length, 3);
    assert.equal(trustedCas(one).length, 2);
    assert.match(two, /#\s+client identity alice CA certificate serial [0-9A-F]+/);
    assert.match(two, /#\s+client identity ci CA certificate serial/);
    assert.doesNotMatch(one, /client identity alice/);
    assert.notEqual(one, two, "removing a name re-runs configure");
  });

  it("combines with a CA you bring: yours signs the server and the stack's certificate, identities get their own", async () => {
    const caCertPem = "-----BEGIN CERTIFICATE-----\nBYO\n-----END CERTIFICATE-----\n";
    const { host, mine, byName } = await deploy(
      "byo",
      withClients({ alice: {} }, { caCertPem, caKeyPem: fakeKey("byo-ca") }),
    );
    assert.equal(mine.filter((r) => r.name === "byo-ca").length, 0, "no per-host CA");
    assert.equal(byName("identity-alice-ca").inputs.isCaCertificate, true);
    const cas = trustedCas(String(byName("configure").inputs.create));
    assert.equal(cas.length, 2);
    assert.equal(`${cas[0] ?? ""}\n`, caCertPem, "your CA first, then the identity's");
    assert.equal(await valueOf(host.clients.alice?.caCert ?? pulumi.output("")), caCertPem);
  });

  it("bundles PEM certificates one after the other, each ending in one newline", () => {
    assert.equal(pemBundle(["A\n\n", "", " B"]), "A\nB\n");
  });

  /** [case, tls.clients (or the whole tls), the exact message after `DockerHost "<name>": `] */
  const bad: [string, DockerHostArgs, string][] = [
    [
      "an empty map",
      withClients({}),
      "tls.clients is empty: name at least one client identity, e.g. { alice: {} }, or leave tls.clients out for the single client certificate",
    ],
    [
      "not a map",
      withClients(["alice"]),
      'tls.clients must be a map from a client\'s name to its options, e.g. { alice: {}, ci: { validityDays: 30 } }, got ["alice"]',
    ],
    [
      "a map from an Output",
      withClients(pulumi.output({ alice: {} })),
      "tls.clients must be known when the program runs (each name becomes a CA and a certificate of its own), got an Output: pass a map, e.g. from stack configuration",
    ],
    ...["Alice", "-alice", "alice-", "al_ice", "al.ice", "", "a".repeat(64)].map(
      (name): [string, DockerHostArgs, string] => [
        `the name ${JSON.stringify(name)}`,
        withClients({ [name]: {} }),
        `tls.clients name ${JSON.stringify(name)} is not DNS-label-like: use 1 to 63 lowercase letters, digits and '-', starting and ending with a letter or digit`,
      ],
    ),
    [
      "options that are not an object",
      withClients({ alice: 30 }),
      "tls.clients.alice must be an object of options ({} for the defaults), got 30",
    ],
    [
      "zero days",
      withClients({ alice: { validityDays: 0 } }),
      "tls.clients.alice.validityDays must be a whole number of days from 1 to 36500, got 0",
    ],
    [
      "a validity inside the inherited renewal window",
      withClients({ ci: { validityDays: 30 } }),
      "tls.clients.ci.validityDays (30) must be greater than its earlyRenewalDays (30, from tls.earlyRenewalDays)",
    ],
    [
      "a renewal window longer than the inherited validity",
      withClients({ ci: { earlyRenewalDays: 100 } }, { validityDays: 90 }),
      "tls.clients.ci.validityDays (90, from tls.validityDays) must be greater than its earlyRenewalDays (100)",
    ],
  ];
  itRejectsBeforeAnyResource(
    bad,
    (name, args) => new DockerHost(name, args),
    "badid",
    (label) => `rejects ${label} before any resource`,
  );

  it("names the identity in the input path of a bad name", () => {
    assert.throws(() => new DockerHost("badpath", withClients({ Alice: {} })), {
      propertyPath: "tls.clients.Alice",
    });
  });
});
