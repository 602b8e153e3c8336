# shellcheck shell=bash
# Helpers of every remote step of DockerHost and DockerSwarm, after bound.sh and before the folder's common.sh.

# In the bounded child: TERM ends the step through its EXIT trap (temporary files, staged keys) instead of at once.
trap 'exit 143' TERM

# phase TEXT: what the step is doing now, for the message when it runs out of time ("... while TEXT").
phase() {
  [ -n "${DH_PHASE_FILE:-}" ] || return 0
  printf '%s\n' "$*" >"$DH_PHASE_FILE" 2>/dev/null || true
}

# What the step said it was doing last (see phase).
current_phase() {
  [ -n "${DH_PHASE_FILE:-}" ] || return 0
  head -n 1 "$DH_PHASE_FILE" 2>/dev/null || true
}

# emit_block KEY: stdin as base64 between `begin KEY` and `end KEY`, in lines of 76 characters. The command plugin
# reads each output line with a 64 KiB limit and hangs on a longer one; components/remote/output.ts reads this.
emit_block() {
  printf 'begin %s\n' "$1"
  base64 -w 76
  printf 'end %s\n' "$1"
}
