package main

import (
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// updateKeys are the inputs whose change re-runs the command in place
// (`update`, or `create` when there is no `update`).
var updateKeys = []string{
	keyAddPreviousOutputInEnv, keyConnection, keyCreate, keyDelete,
	keyEnvironment, keyLogging, keyStdin, keyUpdate,
}

// replaceKeys are the inputs whose change replaces the resource: a new one
// runs `create`, then the old one runs `delete` (create-before-delete).
var replaceKeys = []string{keyTriggers}

// inputChange is one changed input, in the engine's terms.
type inputChange struct {
	Key  string
	Kind pulumirpc.PropertyDiff_Kind
}

// diffInputs compares the old and new inputs. Absent values count as their
// defaults (no `logging` equals "stdoutAndStderr"), so spelling out a default
// runs nothing. A value not known yet (preview) counts as changed; so does a
// value that only became secret, so that the state is rewritten encrypted.
func diffInputs(olds, news resource.PropertyMap) []inputChange {
	oldNorm, newNorm := withDiffDefaults(olds), withDiffDefaults(news)
	var changes []inputChange
	check := func(key string, replace bool) {
		k := resource.PropertyKey(key)
		o, n := oldNorm[k], newNorm[k]
		if !n.ContainsUnknowns() && o.DeepEquals(n) {
			return
		}
		changes = append(changes, inputChange{Key: key, Kind: changeKind(olds[k], news[k], replace)})
	}
	for _, key := range updateKeys {
		check(key, false)
	}
	for _, key := range replaceKeys {
		check(key, true)
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Key < changes[j].Key })
	return changes
}

// changeKind says whether a change adds, removes or alters an input (as the
// user wrote it, before defaults), and whether it forces a replacement.
func changeKind(old, new resource.PropertyValue, replace bool) pulumirpc.PropertyDiff_Kind {
	switch {
	case old.IsNull() && replace:
		return pulumirpc.PropertyDiff_ADD_REPLACE
	case old.IsNull():
		return pulumirpc.PropertyDiff_ADD
	case new.IsNull() && replace:
		return pulumirpc.PropertyDiff_DELETE_REPLACE
	case new.IsNull():
		return pulumirpc.PropertyDiff_DELETE
	case replace:
		return pulumirpc.PropertyDiff_UPDATE_REPLACE
	default:
		return pulumirpc.PropertyDiff_UPDATE
	}
}

// withDiffDefaults fills the defaults that make an absent value and its
// default equal. It is used only to compare; the state keeps what was given.
func withDiffDefaults(m resource.PropertyMap) resource.PropertyMap {
	out := m.Copy()
	if v := out[keyAddPreviousOutputInEnv]; v.IsNull() {
		out[keyAddPreviousOutputInEnv] = resource.NewProperty(defaultAddPreviousOutputInEnv)
	}
	if v := out[keyLogging]; v.IsNull() {
		out[keyLogging] = resource.NewProperty(defaultLogging)
	}
	if v := out[keyConnection]; !v.IsNull() {
		out[keyConnection] = connectionDefaults(v, true)
	}
	// An empty list of triggers is no triggers: both run nothing.
	if v := reveal(out[keyTriggers]); v.IsArray() && len(v.ArrayValue()) == 0 && !out[keyTriggers].IsSecret() {
		delete(out, keyTriggers)
	}
	return out
}

// diffResponse turns the changes into the engine's answer. Every change is
// reported per property, so `pulumi preview --diff` shows exactly what
// changed and why the resource is updated or replaced.
func diffResponse(changes []inputChange) *pulumirpc.DiffResponse {
	if len(changes) == 0 {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE, HasDetailedDiff: true}
	}
	resp := &pulumirpc.DiffResponse{
		Changes:         pulumirpc.DiffResponse_DIFF_SOME,
		DetailedDiff:    map[string]*pulumirpc.PropertyDiff{},
		HasDetailedDiff: true,
	}
	for _, c := range changes {
		resp.Diffs = append(resp.Diffs, c.Key)
		resp.DetailedDiff[c.Key] = &pulumirpc.PropertyDiff{Kind: c.Kind, InputDiff: true}
		switch c.Kind {
		case pulumirpc.PropertyDiff_ADD_REPLACE, pulumirpc.PropertyDiff_DELETE_REPLACE, pulumirpc.PropertyDiff_UPDATE_REPLACE:
			resp.Replaces = append(resp.Replaces, c.Key)
		}
	}
	return resp
}
