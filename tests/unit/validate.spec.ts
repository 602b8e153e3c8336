import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import * as checks from "../../components/checks";
import * as validate from "../../components/validate";

const v = { ...checks, ...validate };

// Generative checks of the small validators: the boundary between accepted and rejected is where bugs live.
describe("validators (generative)", () => {
  it("ports: every integer 1..65535 passes, everything else fails", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), (p) => {
        v.checkPort("p", p);
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ max: 0 }),
          fc.integer({ min: 65536 }),
          fc.double({ noInteger: true }),
        ),
        (p) => {
          assert.throws(() => {
            v.checkPort("p", p);
          }, /p must be an integer from 1 to 65535/);
        },
      ),
    );
  });

  it("hosts: IPs and domain names pass; strings with spaces, slashes or empty labels fail", () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain()), (h) => {
        v.checkHost("h", h);
      }),
    );
    for (const bad of ["", " ", "a b", "http://x", "a..b", "-a.com", "x/y", "a_b.com"]) {
      assert.throws(() => {
        v.checkHost("h", bad);
      }, /h must be an IP address or DNS name/);
    }
  });

  it("engine versions: semver triples pass; words, v-prefixes and partial versions fail", () => {
    fc.assert(
      fc.property(fc.nat(99), fc.nat(99), fc.nat(99), (a, b, c) => {
        v.checkEngineVersion(`${a}.${b}.${c}`);
      }),
    );
    v.checkEngineVersion("28.0.0-rc.1");
    for (const bad of ["latest", "27", "27.5", "v27.5.1", "27.5.1.2", ""]) {
      assert.throws(() => {
        v.checkEngineVersion(bad);
      }, /engine\.version must be/);
    }
  });

  it("label keys: Docker's lowercase dotted form passes, reserved namespaces fail", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,20}[a-z0-9])?$/), (k) => {
        fc.pre(!/^(com\.docker\.|io\.docker\.|org\.dockerproject\.)/.test(k));
        v.checkLabels({ [k]: "x" });
      }),
    );
    for (const bad of ["A", "-a", "a-", "a b", "io.docker.x", "org.dockerproject.y"]) {
      assert.throws(() => {
        v.checkLabels({ [bad]: "x" });
      }, /engine\.labels key/);
    }
  });

  it("daemonConfig: any key but ours and the typed ones passes", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z-]{0,15}$/), (k) => {
        fc.pre(
          !/^(hosts|tls.*|labels|registry-mirrors|insecure-registries|storage-driver|log-driver|log-opts|live-restore)$/.test(
            k,
          ),
        );
        v.checkDaemonConfig({ [k]: 1 });
      }),
    );
    for (const owned of ["hosts", "tls", "tlscacert", "tlsverify"]) {
      assert.throws(() => {
        v.checkDaemonConfig({ [owned]: true });
      }, /DockerHost owns/);
    }
  });

  it("renewal window: validity must exceed early renewal", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        (validity, early) => {
          if (validity > early) v.checkRenewalWindow(validity, early);
          else
            assert.throws(() => {
              v.checkRenewalWindow(validity, early);
            }, /must be greater than/);
        },
      ),
    );
  });
});
