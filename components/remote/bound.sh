# shellcheck shell=bash
# The start of every remote step of DockerHost and DockerSwarm (then step.sh, the folder's common.sh, the step's
# own script). It runs as `bash -c SCRIPT PROGRAM-STEP` (e.g. docker-host-install), as root.

# The time bound. The command plugin never interrupts a running script (its timeouts and Ctrl-C stop only the
# dialling), so a step that hangs (a stuck apt, a cloud-init that never finishes, a lock never released) is
# bounded here, on the host: the same script runs again as a child of coreutils `timeout`, which after DH_TIMEOUT
# seconds sends TERM to the child's whole process group and, 60 s later, KILL to whatever still runs (a step
# that traps TERM, configure rolling back, gets those 60 s). The child records what it is doing (`phase`), so
# the error says what it waited for.

# SECONDS as Go and Pulumi print durations: 45s, 30m0s, 1h0m0s.
dh_duration() {
  if [ "$1" -ge 3600 ]; then
    printf '%dh%dm%ds' $(($1 / 3600)) $(($1 % 3600 / 60)) $(($1 % 60))
  elif [ "$1" -ge 60 ]; then
    printf '%dm%ds' $(($1 / 60)) $(($1 % 60))
  else
    printf '%ds' "$1"
  fi
}

if [ -z "${DH_PHASE_FILE:-}" ]; then
  dh_program=${0%-*}
  dh_step=${0##*-}
  case "${DH_TIMEOUT:-}" in
    '' | *[!0-9]*)
      printf '%s: error: the %s step was given no time bound (DH_TIMEOUT)\n' "$dh_program" "$dh_step" >&2
      exit 1
      ;;
  esac
  DH_PHASE_FILE=$(mktemp) || exit 1
  export DH_PHASE_FILE
  printf 'running the %s script\n' "$dh_step" >"$DH_PHASE_FILE"
  dh_status=0
  timeout --kill-after=60 "$DH_TIMEOUT" bash -c "$BASH_EXECUTION_STRING" "$0" || dh_status=$?
  dh_phase=$(head -n 1 "$DH_PHASE_FILE" 2>/dev/null || true)
  rm -f "$DH_PHASE_FILE"
  # 124: stopped by TERM, 137: by KILL; the elapsed time tells them from a step that failed with that status.
  if { [ "$dh_status" -eq 124 ] || [ "$dh_status" -eq 137 ]; } && [ "$SECONDS" -ge "$DH_TIMEOUT" ]; then
    case "$dh_program $dh_step" in
      "docker-host cleanup") dh_raise=" (or raise timeouts.configure)" ;;
      docker-host*) dh_raise=" (or raise timeouts.$dh_step)" ;;
      *) dh_raise="" ;;
    esac
    printf '%s: error: the %s step did not finish within %s while %s; it was stopped. Resolve what it waited for%s, then run pulumi up again\n' \
      "$dh_program" "$dh_step" "$(dh_duration "$DH_TIMEOUT")" "${dh_phase:-running}" "$dh_raise" >&2
    exit 1
  fi
  exit "$dh_status"
fi
