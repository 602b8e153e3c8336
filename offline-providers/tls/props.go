package main

import (
	"fmt"
	"math"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/types/known/structpb"
)

// wireOpts is used for every (un)marshal: secrets and unknowns must survive the round trip,
// because the engine tells us about unknown inputs during preview and the SDK wraps private
// keys in secrets. Nulls are dropped so that "absent" and "null" compare equal in Diff.
var wireOpts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipNulls: true}

func unmarshal(label string, s *structpb.Struct) (resource.PropertyMap, error) {
	opts := wireOpts
	opts.Label = label
	return plugin.UnmarshalProperties(s, opts)
}

func marshal(label string, m resource.PropertyMap) (*structpb.Struct, error) {
	opts := wireOpts
	opts.Label = label
	return plugin.MarshalProperties(m, opts)
}

// plain strips secret (and known output) wrappers, so that values can be read and compared by
// content. The engine and SDK decide which values are secret; the crypto code only needs bytes.
func plain(v resource.PropertyValue) resource.PropertyValue {
	switch {
	case v.IsSecret():
		return plain(v.SecretValue().Element)
	case v.IsOutput() && v.OutputValue().Known:
		return plain(v.OutputValue().Element)
	case v.IsArray():
		items := make([]resource.PropertyValue, len(v.ArrayValue()))
		for i, item := range v.ArrayValue() {
			items[i] = plain(item)
		}
		return resource.NewArrayProperty(items)
	case v.IsObject():
		return resource.NewObjectProperty(plainMap(v.ObjectValue()))
	}
	return v
}

func plainMap(m resource.PropertyMap) resource.PropertyMap {
	out := make(resource.PropertyMap, len(m))
	for k, v := range m {
		if v.IsNull() {
			continue // absent and null mean the same thing to every resource here
		}
		out[k] = plain(v)
	}
	return out
}

// props is a read-only view of an (unwrapped) property map with typed getters. Each getter
// reports whether the value was set; a value of the wrong type is an error, which Check turns
// into a failure on that property.
type props struct{ m resource.PropertyMap }

func view(m resource.PropertyMap) props { return props{plainMap(m)} }

func (p props) has(key string) bool { _, ok := p.m[resource.PropertyKey(key)]; return ok }

// unknown is true when the value (or anything inside it) is not known yet, i.e. during a
// preview that depends on resources that do not exist yet.
func (p props) unknown(key string) bool {
	v, ok := p.m[resource.PropertyKey(key)]
	return ok && v.ContainsUnknowns()
}

func (p props) str(key string) (string, bool, error) {
	v, ok := p.m[resource.PropertyKey(key)]
	if !ok {
		return "", false, nil
	}
	if !v.IsString() {
		return "", true, fmt.Errorf("%s must be a string", key)
	}
	return v.StringValue(), true, nil
}

// integer reads a number that must be whole: every numeric input here is a count of hours,
// bits or path steps.
func (p props) integer(key string) (int64, bool, error) {
	v, ok := p.m[resource.PropertyKey(key)]
	if !ok {
		return 0, false, nil
	}
	if !v.IsNumber() || v.NumberValue() != math.Trunc(v.NumberValue()) || math.Abs(v.NumberValue()) > 1<<53 {
		return 0, true, fmt.Errorf("%s must be a whole number", key)
	}
	return int64(v.NumberValue()), true, nil
}

func (p props) boolean(key string) (bool, bool, error) {
	v, ok := p.m[resource.PropertyKey(key)]
	if !ok {
		return false, false, nil
	}
	if !v.IsBool() {
		return false, true, fmt.Errorf("%s must be a boolean", key)
	}
	return v.BoolValue(), true, nil
}

func (p props) strList(key string) ([]string, bool, error) {
	v, ok := p.m[resource.PropertyKey(key)]
	if !ok {
		return nil, false, nil
	}
	if !v.IsArray() {
		return nil, true, fmt.Errorf("%s must be a list of strings", key)
	}
	out := make([]string, 0, len(v.ArrayValue()))
	for i, item := range v.ArrayValue() {
		if !item.IsString() {
			return nil, true, fmt.Errorf("%s[%d] must be a string", key, i)
		}
		out = append(out, item.StringValue())
	}
	return out, true, nil
}

func (p props) object(key string) (props, bool, error) {
	v, ok := p.m[resource.PropertyKey(key)]
	if !ok {
		return props{}, false, nil
	}
	if !v.IsObject() {
		return props{}, true, fmt.Errorf("%s must be an object", key)
	}
	return props{v.ObjectValue()}, true, nil
}

// reader collects the first type error while a resource reads its inputs, so the create
// functions can read a dozen properties without a dozen error checks.
type reader struct {
	p   props
	err error
}

func (r *reader) keep(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *reader) str(key string) string {
	v, _, err := r.p.str(key)
	r.keep(err)
	return v
}

func (r *reader) integer(key string) int64 {
	v, _, err := r.p.integer(key)
	r.keep(err)
	return v
}

func (r *reader) boolean(key string) bool {
	v, _, err := r.p.boolean(key)
	r.keep(err)
	return v
}

func (r *reader) strList(key string) []string {
	v, _, err := r.p.strList(key)
	r.keep(err)
	return v
}

func (r *reader) object(key string) props {
	v, _, err := r.p.object(key)
	r.keep(err)
	return v
}

// Output value constructors, kept short because create functions build a map of them.
func str(s string) resource.PropertyValue     { return resource.NewStringProperty(s) }
func secret(s string) resource.PropertyValue  { return resource.MakeSecret(str(s)) }
func boolean(b bool) resource.PropertyValue   { return resource.NewBoolProperty(b) }
func unknownValue() resource.PropertyValue    { return resource.MakeComputed(str("")) }
func number(n float64) resource.PropertyValue { return resource.NewNumberProperty(n) }
func key(name string) resource.PropertyKey    { return resource.PropertyKey(name) }
