package main

import (
	"fmt"
	"math"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/types/known/structpb"
)

// wireOptions keep secrets and unknowns as such in both directions: secrets so
// that state stays encrypted, unknowns so that previews can say "computed";
// resource references so that triggers may hold them and round-trip unchanged.
var wireOptions = plugin.MarshalOptions{
	KeepUnknowns:  true,
	KeepSecrets:   true,
	KeepResources: true,
	SkipNulls:     true,
}

func unmarshalProps(s *structpb.Struct, label string) (resource.PropertyMap, error) {
	opts := wireOptions
	opts.Label = label
	m, err := plugin.UnmarshalProperties(s, opts)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", label, err)
	}
	return m, nil
}

func marshalProps(m resource.PropertyMap, label string) (*structpb.Struct, error) {
	opts := wireOptions
	opts.Label = label
	s, err := plugin.MarshalProperties(m, opts)
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", label, err)
	}
	return s, nil
}

// reveal strips secret wrappers: reading a value does not care whether it is
// secret (secretness is tracked separately, see outputs.go).
func reveal(v resource.PropertyValue) resource.PropertyValue {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v
}

// unknown reports whether a value is not known yet (a preview with inputs that
// depend on resources not created yet).
func unknown(v resource.PropertyValue) bool {
	v = reveal(v)
	return v.IsComputed() || (v.IsOutput() && !v.OutputValue().Known)
}

// propReader reads typed values out of a property map and collects every type
// error with its property path, so Check can report them all at once.
type propReader struct {
	errs []fieldError
}

// fieldError is a problem with one input, named by its path ("connection.port").
type fieldError struct {
	path, reason string
}

func (e fieldError) Error() string { return e.path + ": " + e.reason }

func (r *propReader) fail(path, format string, args ...any) {
	r.errs = append(r.errs, fieldError{path: path, reason: fmt.Sprintf(format, args...)})
}

// value returns the revealed value of key, and false when it is absent, null
// or unknown (unknowns are only possible in previews, where nothing runs).
func (r *propReader) value(m resource.PropertyMap, key string) (resource.PropertyValue, bool) {
	v := reveal(m[resource.PropertyKey(key)])
	if v.IsNull() || unknown(v) {
		return v, false
	}
	if v.IsOutput() { // a known output value: use what it wraps
		v = reveal(v.OutputValue().Element)
	}
	return v, !v.IsNull()
}

func (r *propReader) str(m resource.PropertyMap, key, path string) string {
	v, ok := r.value(m, key)
	if !ok {
		return ""
	}
	if !v.IsString() {
		r.fail(path, "must be a string, got %s", v.TypeString())
		return ""
	}
	return v.StringValue()
}

// integer reads a whole number; def is returned when the value is absent.
func (r *propReader) integer(m resource.PropertyMap, key, path string, def int) int {
	v, ok := r.value(m, key)
	if !ok {
		return def
	}
	if !v.IsNumber() || v.NumberValue() != math.Trunc(v.NumberValue()) ||
		math.Abs(v.NumberValue()) > math.MaxInt32 {
		r.fail(path, "must be a whole number, got %s", v.String())
		return def
	}
	return int(v.NumberValue())
}

func (r *propReader) boolean(m resource.PropertyMap, key, path string, def bool) bool {
	v, ok := r.value(m, key)
	if !ok {
		return def
	}
	if !v.IsBool() {
		r.fail(path, "must be a boolean, got %s", v.TypeString())
		return def
	}
	return v.BoolValue()
}

// object returns the nested map of key, or nil when it is absent.
func (r *propReader) object(m resource.PropertyMap, key, path string) resource.PropertyMap {
	v, ok := r.value(m, key)
	if !ok {
		return nil
	}
	if !v.IsObject() {
		r.fail(path, "must be an object, got %s", v.TypeString())
		return nil
	}
	return v.ObjectValue()
}

// stringMap reads a map of strings such as environment.
func (r *propReader) stringMap(m resource.PropertyMap, key, path string) map[string]string {
	obj := r.object(m, key, path)
	if obj == nil {
		return nil
	}
	out := make(map[string]string, len(obj))
	for k := range obj {
		if s := r.str(obj, string(k), path+"."+string(k)); s != "" || reveal(obj[k]).IsString() {
			out[string(k)] = s
		}
	}
	return out
}

// sortedKeys gives map keys in a stable order, so environment variables are
// sent and diffs reported the same way every run.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
