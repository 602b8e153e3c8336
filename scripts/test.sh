#!/usr/bin/env bash
# The README's test command (`npm test`), also what CI runs. On a fresh machine it installs what it needs, then:
# lint (ESLint, Prettier, tsc, shellcheck), unit and mock tests, and the end-to-end suite against local sandbox
# hosts with the real Pulumi engine and the genuine provider plugins. It ends with one summary line over every
# suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."


step() { printf '\n=== %s\n' "$*"; }
elapsed() { echo "$(($(date +%s) - $1)) s"; }

step "system packages"
missing=()
for pair in shellcheck:shellcheck openssl:openssl ssh:openssh-client jq:jq; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
# The end-to-end suite imports a busybox image and talks to the engine with the docker CLI.
if [ -d tests/e2e ]; then
  dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
  command -v docker >/dev/null || missing+=(docker.io)
  # The Python example runs in a virtualenv (python3 -m venv needs ensurepip: Debian's python3-venv).
  python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3 python3-venv)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]} from Debian"
  apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null
fi

step "toolchain: Node >= 22, Pulumi CLI and plugins (cached in ${DOCKERHOST_CACHE:-/var/cache/docker-host})"
t0=$(date +%s)
# --with-yaml --with-python: the end-to-end suite runs the YAML and Python examples (tests/e2e/languages.e2e.ts).
bash scripts/toolchain.sh --with-yaml --with-python
# shellcheck source=scripts/pulumi-env.sh
source scripts/pulumi-env.sh
echo "node $(node --version), $(pulumi version): ready in $(elapsed "$t0")"

step "npm ci"
t0=$(date +%s)
# Plugins come from the toolchain: the @pulumi/command install script would try to download its plugin.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
echo "dependencies installed in $(elapsed "$t0")"

step "build: dist/ (what the npm package ships; the CLI, the plugin and the package suite run it)"
t0=$(date +%s)
npm run --silent build
echo "built in $(elapsed "$t0")"

step "lint: ESLint, Prettier, tsc, shellcheck"
npm run --silent lint

results=()
failures=()
run_suite() { # run_suite NAME MOCHA-ARGS...: runs mocha, keeps its counts for the summary
  local name=$1 log rc=0
  shift
  log=$(mktemp)
  step "$name"
  npx mocha "$@" 2>&1 | tee "$log" || rc=$?
  local passed failed pending
  passed=$(sed -nE 's/^ +([0-9]+) passing.*/\1/p' "$log" | tail -n 1)
  failed=$(sed -nE 's/^ +([0-9]+) failing.*/\1/p' "$log" | tail -n 1)
  pending=$(sed -nE 's/^ +([0-9]+) pending.*/\1/p' "$log" | tail -n 1)
  results+=("${passed:-0} ${failed:-0} ${pending:-0} $rc $name")
  # The failures' titles again next to the summary: a long log is often read from its end only.
  failures+=("$(awk '/^ +[0-9]+ failing/ { on = 1; next } on && /^ +[0-9]+\) / { print; getline; print }' "$log")")
  rm -f "$log"
}

run_suite "unit and mock tests"
if [ -d tests/e2e ]; then
  run_suite "end-to-end tests (real Pulumi engine, sandbox host)" --no-config --config .mocharc.e2e.json
fi

step "summary"
total_passed=0 total_failed=0 total_pending=0 status=0
for r in "${results[@]}"; do
  read -r p f s rc name <<<"$r"
  printf '%-60s %4s passed, %s failed, %s skipped (exit %s)\n' "$name" "$p" "$f" "$s" "$rc"
  total_passed=$((total_passed + p)) total_failed=$((total_failed + f)) total_pending=$((total_pending + s))
  if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then status=1; fi
done
if [ "$total_passed" -eq 0 ]; then status=1; fi
for f in "${failures[@]}"; do
  if [ -n "$f" ]; then printf 'failed:\n%s\n' "$f"; fi
done
echo "tests: $total_passed passed, $total_failed failed, $total_pending skipped"
exit "$status"
