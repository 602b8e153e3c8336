package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// resourceType is the only resource this plugin knows.
const resourceType = "command:remote:Command"

// Environment variables that carry the previous run's output to `update` and
// `delete` when addPreviousOutputInEnv is true (the SDK's names).
const (
	envPreviousStdout = "PULUMI_COMMAND_STDOUT"
	envPreviousStderr = "PULUMI_COMMAND_STDERR"
)

func checkType(urn string) error {
	if t := resource.URN(urn).Type(); t != resourceType {
		return fmt.Errorf("unknown resource type %q: this plugin implements only %s", t, resourceType)
	}
	return nil
}

func (p *commandProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	if err := checkType(req.GetUrn()); err != nil {
		return nil, err
	}
	news, err := unmarshalProps(req.GetNews(), "news")
	if err != nil {
		return nil, err
	}
	inputs := withConnectionDefaults(news)
	var failures []*pulumirpc.CheckFailure
	for _, e := range checkInputs(inputs) {
		failures = append(failures, &pulumirpc.CheckFailure{Property: e.path, Reason: e.reason})
	}
	s, err := marshalProps(inputs, "inputs")
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: s, Failures: failures}, nil
}

func (p *commandProvider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, err := unmarshalProps(req.GetOldInputs(), "old inputs")
	if err != nil {
		return nil, err
	}
	if len(olds) == 0 { // an engine that sends no old inputs: use the state
		state, err := unmarshalProps(req.GetOlds(), "old state")
		if err != nil {
			return nil, err
		}
		olds = inputsOf(state)
	}
	news, err := unmarshalProps(req.GetNews(), "news")
	if err != nil {
		return nil, err
	}
	return diffResponse(diffInputs(olds, news)), nil
}

func (p *commandProvider) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	urn := resource.URN(req.GetUrn())
	inputs, in, err := readRequestInputs(req.GetProperties(), "inputs")
	if err != nil {
		return nil, err
	}
	if req.GetPreview() {
		return p.createResponse("", previewOrKnown(inputs, in.Create != ""))
	}
	id, err := newID(urn.Name())
	if err != nil {
		return nil, err
	}
	ctx, cancel := p.operationContext(ctx, req.GetTimeout())
	defer cancel()
	var res runResult
	if in.Create != "" {
		// A failed create returns no ID: the engine records nothing, and the
		// next `pulumi up` tries again.
		if res, err = p.execute(ctx, urn, in, keyCreate, in.Environment); err != nil {
			return nil, err
		}
	}
	return p.createResponse(id, ranOutputs(inputs, res))
}

func (p *commandProvider) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	urn := resource.URN(req.GetUrn())
	inputs, in, err := readRequestInputs(req.GetNews(), "news")
	if err != nil {
		return nil, err
	}
	state, err := unmarshalProps(req.GetOlds(), "old state")
	if err != nil {
		return nil, err
	}
	which := keyUpdate
	if in.Update == "" {
		which = keyCreate
	}
	if commandText(in, which) == "" { // nothing to run: the last output stays the output
		return p.updateResponse(ranOutputs(inputs, previousOutputs(state)))
	}
	if req.GetPreview() {
		return p.updateResponse(previewOutputs(inputs))
	}
	ctx, cancel := p.operationContext(ctx, req.GetTimeout())
	defer cancel()
	// A failed update returns an error and no properties: the engine keeps
	// the old state, so the next `pulumi up` sees the same diff and retries.
	res, err := p.execute(ctx, urn, in, which, withPreviousOutputs(in, state))
	if err != nil {
		return nil, err
	}
	return p.updateResponse(ranOutputs(inputs, res))
}

func (p *commandProvider) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	urn := resource.URN(req.GetUrn())
	// The state holds the inputs the resource was last run with, including
	// the connection: a replaced resource is deleted where it was created.
	state, in, err := readRequestInputs(req.GetProperties(), "state")
	if err != nil {
		return nil, err
	}
	if in.Delete == "" {
		return &emptypb.Empty{}, nil
	}
	ctx, cancel := p.operationContext(ctx, req.GetTimeout())
	defer cancel()
	if _, err := p.execute(ctx, urn, in, keyDelete, withPreviousOutputs(in, state)); err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}

// execute connects and runs one of the commands (create, update or delete).
func (p *commandProvider) execute(
	ctx context.Context, urn resource.URN, in commandInputs, which string, env map[string]string,
) (runResult, error) {
	link, err := connect(ctx, in.Connection, func(msg string) { p.status(ctx, urn, msg) })
	if err != nil {
		return runResult{}, timeoutNote(ctx, err)
	}
	defer link.Close()
	req := runRequest{
		Command:       commandText(in, which),
		CommandSecret: in.secret[which],
		Env:           env,
		EnvRefused:    func(name string) { p.envRefused(ctx, urn, in, name) },
	}
	if in.HasStdin {
		stdin := in.Stdin
		req.Stdin = &stdin
	}
	logLine := func(line string) { p.log(ctx, diagInfo, urn, line) }
	if in.Logging == loggingStdout || in.Logging == loggingStdoutAndStderr {
		req.LogStdout = logLine
	}
	if in.Logging == loggingStderr || in.Logging == loggingStdoutAndStderr {
		req.LogStderr = logLine
	}
	res, err := runCommand(ctx, link.client, req)
	return res, timeoutNote(ctx, err)
}

// timeoutNote makes a timeout say which limit ran out.
func timeoutNote(ctx context.Context, err error) error {
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("the operation timed out (the resource's customTimeouts): %w", err)
	}
	return err
}

func commandText(in commandInputs, which string) string {
	switch which {
	case keyCreate:
		return in.Create
	case keyUpdate:
		return in.Update
	case keyDelete:
		return in.Delete
	}
	return ""
}

// withPreviousOutputs adds the last run's output to the environment of
// `update` and `delete`, when addPreviousOutputInEnv allows it.
func withPreviousOutputs(in commandInputs, state resource.PropertyMap) map[string]string {
	env := make(map[string]string, len(in.Environment)+2)
	for k, v := range in.Environment {
		env[k] = v
	}
	if in.AddPreviousOutputInEnv {
		prev := previousOutputs(state)
		env[envPreviousStdout] = prev.Stdout
		env[envPreviousStderr] = prev.Stderr
	}
	return env
}

// newID names a created Command: the resource name plus a random suffix, so
// that a replacement (created before the old one is deleted) differs.
func newID(name string) (string, error) {
	suffix := make([]byte, 4)
	if _, err := rand.Read(suffix); err != nil {
		return "", err
	}
	return name + "-" + hex.EncodeToString(suffix), nil
}
