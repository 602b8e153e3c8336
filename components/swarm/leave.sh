# shellcheck shell=bash
# Delete of a host's join step, on the host itself, after its membership step drained it (and demoted it when it
# was a manager): the host leaves the swarm. A host no longer in this swarm is left alone. The first manager
# leaves last, with --force: that dissolves the swarm on it.

require_docker
state=$(membership)
case "$state" in
  inactive) log "$WHO is not in a swarm: nothing to leave" ;;
  this)
    phase "$WHO leaving the swarm"
    if is_manager; then
      log "$WHO leaves the swarm (a manager: --force)"
      out=$(docker swarm leave --force 2>&1) || fail "$WHO could not leave the swarm: $(printf '%s' "$out" | scrub)"
    else
      log "$WHO leaves the swarm"
      out=$(docker swarm leave 2>&1) || fail "$WHO could not leave the swarm: $(printf '%s' "$out" | scrub)"
    fi
    ;;
  *) log "$WHO is in another swarm now (${state#other: }): left alone" ;;
esac
