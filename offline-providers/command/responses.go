package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

// diagInfo is the level of the command's output lines in the engine log:
// shown with the resource, like upstream, without marking anything failed.
const diagInfo = diag.Info

// readRequestInputs unmarshals a request's properties and reads them as
// Command inputs. Check has validated them already, so an error here means
// a client skipped Check; it is reported with every problem found.
func readRequestInputs(s *structpb.Struct, label string) (resource.PropertyMap, commandInputs, error) {
	props, err := unmarshalProps(s, label)
	if err != nil {
		return nil, commandInputs{}, err
	}
	in, problems := readInputs(props)
	if len(problems) > 0 {
		errs := make([]error, len(problems))
		for i, p := range problems {
			errs[i] = p
		}
		return nil, commandInputs{}, fmt.Errorf("invalid %s: %w", label, errors.Join(errs...))
	}
	return props, in, nil
}

func (p *commandProvider) createResponse(id string, outputs resource.PropertyMap) (*pulumirpc.CreateResponse, error) {
	s, err := marshalProps(outputs, "outputs")
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: s}, nil
}

func (p *commandProvider) updateResponse(outputs resource.PropertyMap) (*pulumirpc.UpdateResponse, error) {
	s, err := marshalProps(outputs, "outputs")
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: s}, nil
}

// previewOrKnown is the preview state: stdout/stderr are unknown when a
// command will run, and empty when none will.
func previewOrKnown(inputs resource.PropertyMap, willRun bool) resource.PropertyMap {
	if willRun {
		return previewOutputs(inputs)
	}
	return ranOutputs(inputs, runResult{})
}

// envRefused warns about an environment variable the host's sshd refused
// (its AcceptEnv does not list the name). The output variables of the last
// run are refused by most hosts and nobody asked for them by name, so they
// are only mentioned at debug level.
func (p *commandProvider) envRefused(ctx context.Context, urn resource.URN, in commandInputs, name string) {
	if _, asked := in.Environment[name]; !asked {
		p.log(ctx, diag.Debug, urn, fmt.Sprintf("the host's sshd did not accept environment variable %s", name))
		return
	}
	p.log(ctx, diag.Warning, urn, fmt.Sprintf(
		"the host's sshd did not accept environment variable %s (its AcceptEnv setting decides which names it takes); the command runs without it",
		name))
}
