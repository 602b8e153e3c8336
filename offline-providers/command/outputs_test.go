package main

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

func TestOutputsStaySecret(t *testing.T) {
	out := ranOutputs(baseInputs(), runResult{Stdout: "hi\ndata"})
	if !out[keyStdin].IsSecret() || !out[keyConnection].IsSecret() {
		t.Fatal("a secret input lost its secretness in the state")
	}
	if !out[keyStdout].IsSecret() || !out[keyStderr].IsSecret() {
		t.Fatal("output of a command with a secret stdin is not secret")
	}
	if out[keyCreate].IsSecret() {
		t.Fatal("a plain input became secret")
	}
}

func TestOutputsOfPlainInputsArePlain(t *testing.T) {
	in := baseInputs()
	delete(in, keyStdin)
	in[keyConnection] = reveal(in[keyConnection]) // as a non-Node client might send it
	out := ranOutputs(in, runResult{Stdout: "hi"})
	if out[keyStdout].IsSecret() || out[keyStdout].StringValue() != "hi" {
		t.Fatalf("stdout: %v", out[keyStdout])
	}
	if !out[keyConnection].IsSecret() {
		t.Fatal("the connection is not forced secret")
	}
}

func TestSecretEnvironmentValueMakesOutputsSecret(t *testing.T) {
	in := baseInputs()
	delete(in, keyStdin)
	in[keyEnvironment] = resource.NewProperty(resource.PropertyMap{"TOKEN": resource.MakeSecret(resource.NewProperty("x"))})
	if !outputsSecret(in) {
		t.Fatal("a secret environment value does not make the output secret")
	}
}

func TestPreviewOutputsAreUnknown(t *testing.T) {
	out := previewOrKnown(baseInputs(), true)
	if !out[keyStdout].ContainsUnknowns() {
		t.Fatalf("preview stdout: %v", out[keyStdout])
	}
	if out := previewOrKnown(baseInputs(), false); out[keyStdout].ContainsUnknowns() {
		t.Fatalf("nothing runs, yet stdout is unknown: %v", out[keyStdout])
	}
}

func TestPreviousOutputsInEnv(t *testing.T) {
	state := ranOutputs(baseInputs(), runResult{Stdout: "old out", Stderr: "old err"})
	in, problems := readInputs(state)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	env := withPreviousOutputs(in, state)
	if env[envPreviousStdout] != "old out" || env[envPreviousStderr] != "old err" {
		t.Fatalf("env %v", env)
	}
	in.AddPreviousOutputInEnv = false
	if env := withPreviousOutputs(in, state); len(env) != 0 {
		t.Fatalf("addPreviousOutputInEnv false: %v", env)
	}
}
