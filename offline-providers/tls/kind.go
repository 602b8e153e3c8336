package main

import (
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// kind describes one resource type to the generic lifecycle code in lifecycle.go: which
// properties are inputs, what their defaults are, how to validate them and how to generate the
// outputs. Every resource here is "logical" (it exists only in the state), which is why this
// small table is all that differs between them.
type kind struct {
	token string

	// inputs lists every input property; Diff compares exactly these, and Create echoes them
	// into the state (so the SDK can read them back as outputs, as upstream does).
	inputs []string
	// writeOnly inputs are used by Create but never stored in the outputs and never diffed:
	// upstream's contract is that the matching *WoVersion input is the only change signal.
	writeOnly []string
	// inPlace inputs are updated without replacing the resource; every other input replaces.
	inPlace map[string]bool
	// outputs lists the computed outputs, reported as unknown during preview.
	outputs []string
	// defaults are filled in by Check, so the state records the effective values.
	defaults resource.PropertyMap

	// validate returns a failure per bad input; it must skip values that are still unknown.
	validate func(p props) []failure
	// create generates the resource from checked, fully known inputs. It returns the ID and
	// the computed outputs only; lifecycle.go adds the inputs.
	create func(p props, now time.Time) (string, resource.PropertyMap, error)
	// renewal, if set, computes readyForRenewal from a state whose inputs may just have been
	// updated in place (certificates only).
	renewal func(state props, now time.Time) (bool, error)
}

// failure is one Check failure, reported by the engine against a property.
type failure struct{ property, reason string }

// kinds is the registry consulted by every resource RPC, keyed by type token.
var kinds = map[string]*kind{}

func register(k *kind) *kind {
	kinds[k.token] = k
	return k
}

func (k *kind) isWriteOnly(name string) bool { return contains(k.writeOnly, name) }
