import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { makeCertificate } from "../../helpers/openssl";
import { cloudCall, cloudId, cloudState, invoked } from "./cloudMocks";

/** What the mock monitor saw of one resource. */
export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** The marker the SDK wraps secret values in when it serializes them. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export function isSecretValue(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === "object" &&
    (value as Record<string, unknown>)[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270"
  );
}

export function unwrapSecret(value: unknown): unknown {
  return isSecretValue(value) ? (value as { value: unknown }).value : value;
}

/** A fake private key whose body is recognisable, so tests can search for leaks of it. */
export function fakeKey(name: string): string {
  return `-----BEGIN PRIVATE KEY-----\nSECRET-BODY-${name}\n-----END PRIVATE KEY-----\n`;
}

export const registered: Registered[] = [];
const certificate = makeCertificate("mock", "DNS:localhost,IP:127.0.0.1,IP:203.0.113.10");

/** Stdout the mocked remote steps return, keyed by the step resource's name suffix. */
export const stepStdout: Record<string, string> = {
  wait: "os: debian 12\ndaemon-json-base64: \n",
  install: "installed: 27.5.1\n",
  configure: "docker-host: restarting dockerd\nengine-version: 27.5.1\n",
};

/** Installs the mocks once for the test process (the SDK keeps only the last call). */
export async function installMocks(): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        registered.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs as Record<string, unknown>,
        });
        const state: Record<string, unknown> = { ...(args.inputs as Record<string, unknown>) };
        switch (args.type) {
          case "tls:index/privateKey:PrivateKey":
            state.privateKeyPem = fakeKey(args.name);
            state.privateKeyOpenssh = fakeKey(`${args.name}-openssh`);
            state.publicKeyOpenssh = `ssh-ed25519 AAAAPUBLIC${args.name}`;
            break;
          case "tls:index/selfSignedCert:SelfSignedCert":
            state.certPem = certificate;
            break;
          case "tls:index/certRequest:CertRequest":
            state.certRequestPem = `CSR-${args.name}`;
            break;
          case "tls:index/locallySignedCert:LocallySignedCert":
            state.certPem = certificate;
            state.validityEndTime = new Date(Date.now() + 365 * 86_400_000).toISOString();
            break;
          case "command:remote:Command": {
            const step = args.name.split("-").pop() ?? "";
            state.stdout = stepStdout[step] ?? "";
            state.stderr = "";
            break;
          }
          default:
            Object.assign(state, cloudState(args.type, args.name, state));
            break;
        }
        // Some clouds' ids are numbers in a string (their firewalls and addresses take them as numbers).
        return { id: cloudId(args.type, args.name), state };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        const inputs = args.inputs as Record<string, unknown>;
        invoked.push({ token: args.token, inputs });
        return cloudCall(args.token, inputs) ?? inputs;
      },
    },
    "project",
    "stack",
    false,
  );
}

/** Resolves an Output's value (mocks run with preview=false, so every value resolves). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** The URNs the mock monitor registered: they carry each resource's parent type chain. */
export function registeredUrns(): string[] {
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    getRegisteredResources(): Map<string, unknown>;
  };
  return [...monitor.getRegisteredResources().keys()];
}

/** Waits until the SDK has sent every pending registration to the mock monitor. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

/** The resources registered for one component (its own and its children `NAME-*`), and a picker by suffix. */
export function registeredUnder(name: string): {
  mine: Registered[];
  byName: (suffix: string) => Registered;
} {
  const mine = registered.filter((r) => r.name === name || r.name.startsWith(`${name}-`));
  const byName = (suffix: string) => {
    const found = mine.find((r) => r.name === `${name}-${suffix}`);
    assert.ok(found, `resource ${name}-${suffix} was registered`);
    return found;
  };
  return { mine, byName };
}

/**
 * One `it` per case: `make(name, args)` throws exactly `DockerHost "name": message`, and no resource of that name
 * was registered. Names are `${names}${index}`, unique per case.
 */
export function itRejectsBeforeAnyResource<A>(
  cases: readonly (readonly [string, A, string])[],
  make: (name: string, args: A) => unknown,
  names: string,
  title: (label: string) => string = (label) => label,
): void {
  cases.forEach(([label, args, message], i) => {
    it(title(label), async () => {
      const name = `${names}${String(i)}`;
      assert.throws(() => make(name, args), { message: `DockerHost "${name}": ${message}` });
      await settle();
      assert.deepEqual(registeredUnder(name).mine, []);
    });
  });
}
