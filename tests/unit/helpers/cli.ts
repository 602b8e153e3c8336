// The CLI in-process against a checkpoint, and a loopback engine stand-in that answers GET /version only over
// mutual TLS, for the CLI's tests.
import * as https from "node:https";
import * as net from "node:net";
import { hostsFromDeployment } from "../../../cli/hosts";
import { Io, run } from "../../../cli/program";
import { newCa, readPem, signLeaf } from "../../helpers/openssl";

/** A CA, a server certificate for 127.0.0.1 and a client certificate, each valid for `days` (openssl). */
export function pki(days: { server: number; client: number }) {
  const dir = newCa("test CA", 30);
  signLeaf(
    dir,
    "server",
    days.server,
    "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
  );
  signLeaf(dir, "client", days.client, "extendedKeyUsage=clientAuth\n");
  return {
    ca: readPem(dir, "ca.pem"),
    serverCert: readPem(dir, "server.pem"),
    serverKey: readPem(dir, "server.key"),
    clientCert: readPem(dir, "client.pem"),
    clientKey: readPem(dir, "client.key"),
  };
}
export type Pki = ReturnType<typeof pki>;

export function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** An engine stand-in: HTTPS that requires a client certificate of `p`'s CA, answering `{Version}`; records paths. */
export async function engineStandIn(
  p: Pki,
  version = "27.5.1",
): Promise<{ port: number; seen: (string | undefined)[]; close: () => void }> {
  const seen: (string | undefined)[] = [];
  const server = https.createServer(
    { ca: p.ca, cert: p.serverCert, key: p.serverKey, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      seen.push(req.url);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ Version: version, ApiVersion: "1.47" }));
    },
  );
  const port = await listen(server);
  return { port, seen, close: () => server.close() };
}

/** A port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs one command line in-process against a checkpoint, as `docker-host` would against a stack holding it. */
export async function cliOn(
  state: unknown,
  argv: string[],
  extra: Partial<Io> & { env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    program: ["docker-host"],
    version: "0.1.0",
    readStack: () =>
      Promise.resolve({ project: "app", stack: "prod", hosts: hostsFromDeployment(state) }),
    ...extra,
    env: { SHELL: "/bin/bash", ...extra.env },
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
