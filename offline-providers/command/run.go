package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// runRequest is one remote command to run.
type runRequest struct {
	Command string
	// CommandSecret keeps the command text out of error messages: a secret
	// command may embed a password or a key.
	CommandSecret bool
	// Stdin, when set, is fed to the command's standard input; otherwise the
	// command reads end-of-file at once.
	Stdin *string
	// Env is sent with the SSH "env" request. sshd accepts only the names its
	// AcceptEnv allows (Debian: LANG, LC_*); refused names go to EnvRefused.
	Env        map[string]string
	EnvRefused func(name string)
	// LogStdout and LogStderr receive the output line by line as it arrives;
	// nil means that stream is not logged.
	LogStdout, LogStderr func(line string)
}

// runResult is what the command printed, without the final newline.
type runResult struct {
	Stdout, Stderr string
}

// runCommand runs the command in a new session of client. The server runs
// it with the login user's shell (`$SHELL -c COMMAND`), like `ssh host CMD`.
// When ctx ends first, the command is sent SIGTERM and the connection closed.
func runCommand(ctx context.Context, client *ssh.Client, req runRequest) (runResult, error) {
	session, err := client.NewSession()
	if err != nil {
		return runResult{}, fmt.Errorf("opening an SSH session: %w", err)
	}
	defer func() { _ = session.Close() }()

	for _, name := range sortedKeys(req.Env) {
		if err := session.Setenv(name, req.Env[name]); err != nil && req.EnvRefused != nil {
			req.EnvRefused(name)
		}
	}
	out := newOutputCapture(req.LogStdout, req.LogStderr)
	session.Stdout, session.Stderr = out.stdout, out.stderr
	if req.Stdin != nil {
		session.Stdin = strings.NewReader(*req.Stdin)
	}

	if err := session.Start(req.Command); err != nil {
		return runResult{}, fmt.Errorf("%s: %w", describeCommand(req), err)
	}
	done := make(chan error, 1)
	go func() { done <- session.Wait() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		stopRemote(session, client, done)
		err = context.Cause(ctx)
	}
	out.flush()

	result := runResult{Stdout: trimNewline(out.stdout.own.String()), Stderr: trimNewline(out.stderr.own.String())}
	if err != nil {
		return result, commandError(err, req, out.errorText())
	}
	return result, nil
}

// signalGrace is how long a command may take to end after SIGTERM before
// the connection is closed under it.
const signalGrace = 2 * time.Second

// stopRemote asks the remote command to end (SIGTERM, which sshd sends to
// the command's process group) and waits a little for it, so a timed-out
// command does not go on changing the host; then closes the connection,
// which unblocks Wait even when the network is gone.
func stopRemote(session *ssh.Session, client *ssh.Client, done <-chan error) {
	_ = session.Signal(ssh.SIGTERM)
	select {
	case <-done:
		_ = client.Close()
		return
	case <-time.After(signalGrace):
	}
	_ = client.Close()
	<-done
}

// commandError says how the command ended and what it printed, the form
// upstream uses: `Process exited with status 2: running "make":\n<output>`.
// stdin is never quoted.
func commandError(err error, req runRequest, output string) error {
	var exit *ssh.ExitError
	if errors.As(err, &exit) {
		return fmt.Errorf("%s: %s:\n%s", exit.Error(), describeCommand(req), output)
	}
	return fmt.Errorf("%s: %w\n%s", describeCommand(req), err, output)
}

func describeCommand(req runRequest) string {
	if req.CommandSecret {
		return "running the command (not shown: it is secret)"
	}
	return fmt.Sprintf("running %q", req.Command)
}
