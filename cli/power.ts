// Pure: what `stop` and `start` say. They never change a host: a cloud host whose provider holds its power state
// is stopped and started by the program (DockerHost's `power` input, then `pulumi up`), so the stack stays the
// truth; the CLI prints that change and never edits the program or the stack behind the user's back. Any other
// host says why it has no power control and what to do instead (the source's own words, from the registry's
// static metadata, not from the stack).
import { powerControlOf, SOURCE_NAMES, SourceName } from "../components/machines/registry";
import { CliError, ExitCode } from "./errors";
import { powerChange } from "./powerChange";

export type PowerVerb = "stop" | "start";

/** The `power` input's values (DockerHost's PowerState enum), by the state a verb asks for. */
const TARGET: Record<PowerVerb, "Stopped" | "Running"> = { stop: "Stopped", start: "Running" };

/** What `stop` and `start` need to know about a host: all of it from its public outputs. */
export interface PowerSubject {
  name: string;
  /** The `source` output; "" when the stack does not record it. */
  source: string;
  /** The `power` output; undefined when the stack does not record one. */
  power?: string;
}

function isSource(name: string): name is SourceName {
  return (SOURCE_NAMES as readonly string[]).includes(name);
}

/**
 * What `stop` or `start` says about one host: always an error (exit 1), since neither changes anything. The
 * message is the change to make, that the host is already in that state (docker-machine's "already stopped",
 * also exit 1), or why the host has no power control and what to do instead.
 */
export function powerAdvice(host: PowerSubject, verb: PowerVerb): CliError {
  const fail = (message: string) => new CliError(message, ExitCode.Failure);
  if (host.source === "")
    return fail(
      `cannot ${verb} ${host.name}: the stack records no source for it (an older DockerHost deployed it): run pulumi up to record it`,
    );
  if (!isSource(host.source))
    return fail(
      `cannot ${verb} ${host.name}: its source ${host.source} is not one this docker-host knows (${SOURCE_NAMES.join(", ")}): use a docker-host as new as the DockerHost that deployed it`,
    );
  const control = powerControlOf(host.source);
  if (!control.declarative)
    return fail(
      `cannot ${verb} ${host.name} (source ${host.source}): ${control.why}.\n` +
        `Instead: ${control.alternative.replace(/\bNAME\b/g, host.name)}`,
    );
  const target = TARGET[verb];
  const current = host.power ?? "Running";
  if (current === target)
    return fail(
      `DockerHost "${host.name}" is already ${target.toLowerCase()} (` +
        (host.power === undefined
          ? "the stack records no power state: it runs"
          : `the stack's power output says ${host.power}`) +
        ")",
    );
  return fail(
    `${verb} changes nothing by itself: DockerHost "${host.name}" (source ${host.source}) is ${verb === "stop" ? "stopped" : "started"} declaratively, so that the stack says so too. To ${verb} it, ` +
      powerChange(host.name, target),
  );
}
