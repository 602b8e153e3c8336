// Stand-ins for the programs the CLI runs (ssh, scp, docker), put first on PATH for one suite.
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/**
 * A stand-in OpenSSH client (ssh or scp) that records what it got in $DH_FAKE_LOG: each argument (`arg A`), for
 * each `-i` file its contents and mode (`key K`, `keymode 600`), each line of the known_hosts file it was told to
 * use (`known_hosts LINE`); then exits with `code`.
 */
export function recordingClient(code: number): string {
  return `#!/bin/sh
log=$DH_FAKE_LOG
: > "$log"
prev=
for a in "$@"; do
  printf 'arg %s\\n' "$a" >> "$log"
  if [ "$prev" = -i ]; then printf 'key %s\\nkeymode %s\\n' "$(cat "$a")" "$(stat -c %a "$a")" >> "$log"; fi
  case "$a" in UserKnownHostsFile=*) sed 's/^/known_hosts /' "\${a#UserKnownHostsFile=}" >> "$log" ;; esac
  prev=$a
done
exit ${String(code)}
`;
}

/**
 * Writes `programs` (name to script) into a new directory that is first on PATH, and `env` into the
 * environment, for the tests of the enclosing mocha suite; both restored after it. Returns the directory.
 */
export function useFakeBin(
  programs: Record<string, string>,
  env: Record<string, string> = {},
): string {
  const dir = mkdtempSync(path.join(tmpdir(), "dh-fake-bin-"));
  const saved: Record<string, string | undefined> = {};
  before(() => {
    for (const [name, script] of Object.entries(programs)) {
      writeFileSync(path.join(dir, name), script);
      chmodSync(path.join(dir, name), 0o755);
    }
    for (const [name, value] of Object.entries({
      ...env,
      PATH: `${dir}:${process.env.PATH ?? ""}`,
    })) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  after(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  });
  return dir;
}
