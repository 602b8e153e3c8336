/**
 * Inputs every remote command of DockerHost and DockerSwarm sets.
 *
 * `addPreviousOutputInEnv: false`: by default the command plugin sends the previous run's stdout and stderr as
 * SSH environment requests (PULUMI_COMMAND_STDOUT/_STDERR) on every update and delete; sshd's default AcceptEnv
 * refuses them, so each such run printed "Unable to set 'PULUMI_COMMAND_STDOUT'". No step reads them: a step's
 * inputs travel in its command text and on stdin.
 */
export const COMMAND_DEFAULTS = { addPreviousOutputInEnv: false } as const;
