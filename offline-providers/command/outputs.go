package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// outputSources are the inputs stdout and stderr are made from: what runs and
// what it reads. When any of them is secret, the output may repeat it (think
// `cat` of a secret stdin), so the output is secret too. The connection only
// says where the command runs; it is always secret and does not count, or no
// output of any Command could ever be shown.
var outputSources = []string{keyCreate, keyUpdate, keyStdin, keyEnvironment}

// outputsSecret says whether stdout/stderr must be stored as secrets.
func outputsSecret(inputs resource.PropertyMap) bool {
	for _, key := range outputSources {
		if inputs[resource.PropertyKey(key)].ContainsSecrets() {
			return true
		}
	}
	return false
}

// commandOutputs is the state stored for a Command: its inputs exactly as
// given (secret ones stay secret, byte for byte the same wrapping) plus the
// output. The connection is forced secret: it holds credentials.
func commandOutputs(inputs resource.PropertyMap, stdout, stderr resource.PropertyValue) resource.PropertyMap {
	out := inputs.Copy()
	if conn, ok := out[keyConnection]; ok && !conn.IsNull() && !conn.IsSecret() {
		out[keyConnection] = resource.MakeSecret(conn)
	}
	if outputsSecret(inputs) {
		stdout, stderr = resource.MakeSecret(stdout), resource.MakeSecret(stderr)
	}
	out[keyStdout] = stdout
	out[keyStderr] = stderr
	return out
}

// ranOutputs is the state after the command ran and printed stdout/stderr.
func ranOutputs(inputs resource.PropertyMap, res runResult) resource.PropertyMap {
	return commandOutputs(inputs, resource.NewProperty(res.Stdout), resource.NewProperty(res.Stderr))
}

// previewOutputs is the state a preview shows: the command has not run, so
// its output is not known yet.
func previewOutputs(inputs resource.PropertyMap) resource.PropertyMap {
	unknownText := resource.MakeComputed(resource.NewProperty(""))
	return commandOutputs(inputs, unknownText, unknownText)
}

// previousOutputs returns the stdout and stderr stored in a state (empty
// strings when there are none).
func previousOutputs(state resource.PropertyMap) runResult {
	text := func(key string) string {
		v := reveal(state[resource.PropertyKey(key)])
		if v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	return runResult{Stdout: text(keyStdout), Stderr: text(keyStderr)}
}

// inputsOf recovers the inputs from a state written without separate inputs:
// the state is the inputs plus stdout and stderr.
func inputsOf(state resource.PropertyMap) resource.PropertyMap {
	in := state.Copy()
	delete(in, keyStdout)
	delete(in, keyStderr)
	return in
}
