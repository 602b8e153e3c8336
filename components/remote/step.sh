# shellcheck shell=bash
# Shared by every remote step of DockerHost and DockerSwarm, before the step's own helpers (common.sh).

# emit_block KEY: stdin as base64 between `begin KEY` and `end KEY`, in lines of 76 characters. The command plugin
# reads each output line with a 64 KiB limit and hangs on a longer one; components/remote/output.ts reads this.
emit_block() {
  printf 'begin %s\n' "$1"
  base64 -w 76
  printf 'end %s\n' "$1"
}
