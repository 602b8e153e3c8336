// Unit tests a user of the package writes for a stack with a DockerHost, run in the user's project with the
// user's mocha: Pulumi's testing guide (mocks that return every resource's inputs as its state), and mocks that
// return real-looking certificates, under which the remote commands' connection can be checked.

/** Shared by both tests: resolve an Output, and unwrap the SDK's secret marker from a mocked input. */
const HELPERS = `import * as pulumi from "@pulumi/pulumi";

export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

const SECRET = "4dabf18193072939515e22adb298388d";
export function unsecret(value: unknown): unknown {
  const v = value as Record<string, unknown> | undefined;
  return v !== undefined && v !== null && typeof v === "object" && SECRET in v ? v.value : value;
}
`;

/** Pulumi's testing guide, as written there: newResource returns the inputs as the state. */
const ECHO_SPEC = `import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { DockerHost } from "pulumi-docker-host";
import { valueOf } from "./helpers";

pulumi.runtime.setMocks(
  {
    newResource: (args: pulumi.runtime.MockResourceArgs) => ({ id: \`\${args.name}_id\`, state: args.inputs }),
    call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
  },
  "project",
  "stack",
  false,
);

describe("a stack with a DockerHost, under the testing guide's mocks", () => {
  it("publishes dockerHost and env", async () => {
    const host = new DockerHost("web", {
      existing: { host: "203.0.113.10", privateKey: process.env.USER_SSH_KEY ?? "", hostKey: process.env.USER_HOST_KEY },
    });
    assert.equal(await valueOf(host.dockerHost), "tcp://203.0.113.10:2376");
    assert.deepEqual(await valueOf(host.env), { DOCKER_HOST: "tcp://203.0.113.10:2376", DOCKER_TLS_VERIFY: "1" });
  });

  it("a cloud source whose SDK is not installed fails at once, naming the package to install", () => {
    assert.throws(
      () => new DockerHost("cloud", { aws: {}, allowedCidrs: ["198.51.100.7/32"] }),
      /needs the npm package @pulumi\\/aws.*npm install @pulumi\\/aws@/,
    );
  });
});
`;

/** Mocks that answer like the tls provider (real certificates); every remote command's connection is checked. */
const CERTS_SPEC = `import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { DockerHost } from "pulumi-docker-host";
import { unsecret, valueOf } from "./helpers";

const certificate = readFileSync(process.env.USER_CERT_FILE ?? "", "utf8");
const commands: Record<string, unknown>[] = [];

pulumi.runtime.setMocks(
  {
    newResource: (args: pulumi.runtime.MockResourceArgs) => {
      const state: Record<string, unknown> = { ...args.inputs };
      if (args.type === "tls:index/privateKey:PrivateKey") state.privateKeyPem = "-----BEGIN PRIVATE KEY-----\\nx\\n-----END PRIVATE KEY-----\\n";
      if (args.type === "tls:index/selfSignedCert:SelfSignedCert") state.certPem = certificate;
      if (args.type === "tls:index/certRequest:CertRequest") state.certRequestPem = "CSR";
      if (args.type === "tls:index/locallySignedCert:LocallySignedCert") {
        state.certPem = certificate;
        state.validityEndTime = new Date(Date.now() + 365 * 86_400_000).toISOString();
      }
      if (args.type === "command:remote:Command") {
        commands.push(args.inputs as Record<string, unknown>);
        state.stdout = "engine-version: 27.5.1\\n";
      }
      return { id: \`\${args.name}_id\`, state };
    },
    call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
  },
  "project",
  "stack",
  false,
);

describe("a stack with a DockerHost, under mocks with real-looking certificates", () => {
  it("pins the host key in every remote command's connection", async () => {
    const hostKey = process.env.USER_HOST_KEY ?? "";
    const host = new DockerHost("web", {
      existing: { host: "203.0.113.10", privateKey: process.env.USER_SSH_KEY ?? "", hostKey },
    });
    assert.equal(await valueOf(host.engineVersion), "27.5.1");
    assert.equal(await valueOf(host.sshHostKey), hostKey);
    assert.ok(commands.length >= 3, \`remote commands: \${commands.length}\`);
    for (const command of commands) {
      const connection = unsecret(command.connection) as Record<string, unknown>;
      assert.equal(connection.host, "203.0.113.10");
      assert.equal(connection.hostKey, hostKey);
    }
  });
});
`;

/** The user's test files, by path in the project. */
export const USER_TESTS: Record<string, string> = {
  "test/helpers.ts": HELPERS,
  "test/echo.spec.ts": ECHO_SPEC,
  "test/certs.spec.ts": CERTS_SPEC,
};
