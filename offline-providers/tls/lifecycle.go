package main

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// now is a variable so tests can pin the clock used for validity and renewal.
var now = time.Now

// lookup finds the kind for a request. Newer engines send the type; the URN always has it.
func lookup(typ, urn string) (*kind, error) {
	if typ == "" && resource.URN(urn).IsValid() {
		typ = string(resource.URN(urn).Type())
	}
	if k, ok := kinds[typ]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("unknown resource type %q: this offline tls provider implements %v", typ, tokens())
}

func tokens() []string {
	out := make([]string, 0, len(kinds))
	for t := range kinds {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// changeRequest is what Diff and Update both receive: a resource and its old and new inputs.
type changeRequest interface {
	GetType() string
	GetUrn() string
	GetOlds() *structpb.Struct
	GetNews() *structpb.Struct
}

// decodeChange finds the kind of a Diff or Update request and decodes its old and new inputs.
func decodeChange(req changeRequest) (*kind, resource.PropertyMap, resource.PropertyMap, error) {
	k, err := lookup(req.GetType(), req.GetUrn())
	if err != nil {
		return nil, nil, nil, err
	}
	olds, err := unmarshal("olds", req.GetOlds())
	if err != nil {
		return nil, nil, nil, err
	}
	news, err := unmarshal("news", req.GetNews())
	if err != nil {
		return nil, nil, nil, err
	}
	return k, olds, news, nil
}

// Check fills in defaults and validates. Unknown values pass through untouched: they are
// validated again on the Check that follows once they are known.
func (s *server) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	k, err := lookup(req.GetType(), req.GetUrn())
	if err != nil {
		return nil, err
	}
	news, err := unmarshal("news", req.GetNews())
	if err != nil {
		return nil, err
	}
	// Only declared inputs are kept, so stray keys never reach the state.
	checked := resource.PropertyMap{}
	for _, name := range k.inputs {
		if v, ok := news[key(name)]; ok {
			checked[key(name)] = v
		} else if def, ok := k.defaults[key(name)]; ok {
			checked[key(name)] = def
		}
	}
	inputs, err := marshal("inputs", checked)
	if err != nil {
		return nil, err
	}
	resp := &pulumirpc.CheckResponse{Inputs: inputs}
	for _, f := range k.validate(view(checked)) {
		resp.Failures = append(resp.Failures, &pulumirpc.CheckFailure{Property: f.property, Reason: f.reason})
	}
	return resp, nil
}

// Diff compares the new inputs with the state. Any changed input replaces the resource except
// the kind's inPlace ones; an unknown new value counts as a change because it may turn out to
// be one. A certificate that has reached its renewal window is replaced as well.
func (s *server) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	k, olds, news, err := decodeChange(req)
	if err != nil {
		return nil, err
	}
	ignored := map[string]bool{}
	for _, path := range req.GetIgnoreChanges() {
		ignored[path] = true
	}

	resp := &pulumirpc.DiffResponse{HasDetailedDiff: true, DetailedDiff: map[string]*pulumirpc.PropertyDiff{}}
	for _, name := range k.inputs {
		if k.isWriteOnly(name) || ignored[name] {
			continue
		}
		o, n := olds[key(name)], news[key(name)]
		if !n.ContainsUnknowns() && plain(o).DeepEquals(plain(n)) {
			continue
		}
		resp.Diffs = append(resp.Diffs, name)
		replace := !k.inPlace[name]
		if replace {
			resp.Replaces = append(resp.Replaces, name)
		}
		resp.DetailedDiff[name] = &pulumirpc.PropertyDiff{Kind: diffKind(o, n, replace), InputDiff: true}
	}

	if len(resp.Replaces) == 0 && k.renewal != nil && !news.ContainsUnknowns() {
		due, err := k.renewal(view(updated(k, olds, news)), now())
		if err == nil && due {
			resp.Diffs = append(resp.Diffs, "readyForRenewal")
			resp.Replaces = append(resp.Replaces, "readyForRenewal")
			resp.DetailedDiff["readyForRenewal"] = &pulumirpc.PropertyDiff{Kind: pulumirpc.PropertyDiff_UPDATE_REPLACE}
		}
	}

	resp.Changes = pulumirpc.DiffResponse_DIFF_NONE
	if len(resp.Diffs) > 0 {
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	return resp, nil
}

func diffKind(o, n resource.PropertyValue, replace bool) pulumirpc.PropertyDiff_Kind {
	switch {
	case o.IsNull() && replace:
		return pulumirpc.PropertyDiff_ADD_REPLACE
	case o.IsNull():
		return pulumirpc.PropertyDiff_ADD
	case n.IsNull() && replace:
		return pulumirpc.PropertyDiff_DELETE_REPLACE
	case n.IsNull():
		return pulumirpc.PropertyDiff_DELETE
	case replace:
		return pulumirpc.PropertyDiff_UPDATE_REPLACE
	}
	return pulumirpc.PropertyDiff_UPDATE
}

// Create generates the resource. During preview it only echoes the inputs and marks every
// computed output unknown: reporting them absent would let dependants see "undefined" as a
// known value and fail their own Check.
func (s *server) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	k, err := lookup(req.GetType(), req.GetUrn())
	if err != nil {
		return nil, err
	}
	inputs, err := unmarshal("properties", req.GetProperties())
	if err != nil {
		return nil, err
	}
	state := resource.PropertyMap{}
	for name, v := range inputs {
		if !k.isWriteOnly(string(name)) {
			state[name] = v
		}
	}

	id := ""
	if req.GetPreview() {
		for _, name := range k.outputs {
			state[key(name)] = unknownValue()
		}
	} else {
		if inputs.ContainsUnknowns() {
			return nil, fmt.Errorf("%s: inputs are still unknown at create time", req.GetUrn())
		}
		var outs resource.PropertyMap
		if id, outs, err = k.create(view(inputs), now()); err != nil {
			return nil, fmt.Errorf("%s: %w", resource.URN(req.GetUrn()).Name(), err)
		}
		for name, v := range outs {
			state[name] = v
		}
	}
	props, err := marshal("state", state)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, nil
}

// Update applies in-place input changes (Diff only allows those through) and refreshes the
// derived readyForRenewal. Nothing is regenerated, so preview and apply are the same.
func (s *server) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	k, olds, news, err := decodeChange(req)
	if err != nil {
		return nil, err
	}
	state := updated(k, olds, news)
	if k.renewal != nil {
		ready := unknownValue() // a preview may not know the new earlyRenewalHours yet
		if !state.ContainsUnknowns() {
			due, err := k.renewal(view(state), now())
			if err != nil {
				return nil, err
			}
			ready = boolean(due)
		}
		state[key("readyForRenewal")] = ready
	}
	props, err := marshal("state", state)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

// updated is the old state with the new values of the in-place inputs.
func updated(k *kind, olds, news resource.PropertyMap) resource.PropertyMap {
	state := olds.Copy()
	for name := range k.inPlace {
		if v, ok := news[key(name)]; ok {
			state[key(name)] = v
		} else {
			delete(state, key(name))
		}
	}
	return state
}

// Read reports the state unchanged: the resources exist only in the state, so there is
// nothing outside it that could have drifted.
func (s *server) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

// Delete has nothing to clean up: forgetting the state is the whole deletion.
func (s *server) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
