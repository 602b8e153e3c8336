package main

import (
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// baseInputs is what the Node SDK sends for a typical Command.
func baseInputs() resource.PropertyMap {
	return resource.PropertyMap{
		keyConnection: resource.MakeSecret(resource.NewProperty(resource.PropertyMap{
			"host":           resource.NewProperty("10.0.0.2"),
			"port":           resource.NewProperty(22.0),
			"user":           resource.NewProperty("root"),
			"privateKey":     resource.NewProperty("KEY"),
			"dialErrorLimit": resource.NewProperty(10.0),
			"perDialTimeout": resource.NewProperty(15.0),
		})),
		keyCreate:   resource.NewProperty("echo hi"),
		keyStdin:    resource.MakeSecret(resource.NewProperty("data")),
		keyTriggers: resource.NewProperty([]resource.PropertyValue{resource.NewProperty("t1")}),
	}
}

func changed(olds, news resource.PropertyMap) map[string]pulumirpc.PropertyDiff_Kind {
	out := map[string]pulumirpc.PropertyDiff_Kind{}
	for _, c := range diffInputs(olds, news) {
		out[c.Key] = c.Kind
	}
	return out
}

func TestDiffNoChange(t *testing.T) {
	if got := changed(baseInputs(), baseInputs()); len(got) != 0 {
		t.Fatalf("identical inputs differ: %v", got)
	}
	resp := diffResponse(nil)
	if resp.GetChanges() != pulumirpc.DiffResponse_DIFF_NONE {
		t.Fatalf("no changes answered %v", resp.GetChanges())
	}
}

func TestDiffUpdateKeys(t *testing.T) {
	edits := map[string]resource.PropertyValue{
		keyCreate:                 resource.NewProperty("echo bye"),
		keyUpdate:                 resource.NewProperty("echo up"),
		keyDelete:                 resource.NewProperty("echo del"),
		keyStdin:                  resource.MakeSecret(resource.NewProperty("other")),
		keyLogging:                resource.NewProperty("none"),
		keyAddPreviousOutputInEnv: resource.NewProperty(false),
		keyEnvironment:            resource.NewProperty(resource.PropertyMap{"A": resource.NewProperty("1")}),
	}
	for key, value := range edits {
		news := baseInputs()
		news[resource.PropertyKey(key)] = value
		got := changed(baseInputs(), news)
		if len(got) != 1 || (got[key] != pulumirpc.PropertyDiff_UPDATE && got[key] != pulumirpc.PropertyDiff_ADD) {
			t.Errorf("changing %s: got %v, want only an update of it", key, got)
		}
	}
}

func TestDiffConnectionChangeIsAnUpdate(t *testing.T) {
	news := baseInputs()
	conn := reveal(news[keyConnection]).ObjectValue().Copy()
	conn["hostKey"] = resource.NewProperty("ssh-ed25519 AAAA")
	news[keyConnection] = resource.MakeSecret(resource.NewProperty(conn))
	resp := diffResponse(diffInputs(baseInputs(), news))
	if resp.GetChanges() != pulumirpc.DiffResponse_DIFF_SOME || len(resp.GetReplaces()) != 0 ||
		resp.GetDetailedDiff()[keyConnection].GetKind() != pulumirpc.PropertyDiff_UPDATE {
		t.Fatalf("got %v", resp)
	}
}

func TestDiffTriggersReplace(t *testing.T) {
	news := baseInputs()
	news[keyTriggers] = resource.NewProperty([]resource.PropertyValue{resource.NewProperty("t2")})
	resp := diffResponse(diffInputs(baseInputs(), news))
	if !slices.Equal(resp.GetReplaces(), []string{keyTriggers}) || resp.GetDeleteBeforeReplace() ||
		resp.GetDetailedDiff()[keyTriggers].GetKind() != pulumirpc.PropertyDiff_UPDATE_REPLACE ||
		!resp.GetHasDetailedDiff() || !resp.GetDetailedDiff()[keyTriggers].GetInputDiff() {
		t.Fatalf("got %v", resp)
	}

	olds := baseInputs()
	delete(olds, keyTriggers)
	if got := changed(olds, baseInputs()); got[keyTriggers] != pulumirpc.PropertyDiff_ADD_REPLACE {
		t.Fatalf("adding triggers: %v", got)
	}
	news = baseInputs()
	news[keyTriggers] = resource.NewProperty([]resource.PropertyValue{})
	if got := changed(olds, news); len(got) != 0 {
		t.Fatalf("no triggers vs an empty list: %v", got)
	}
}

func TestDiffAbsentEqualsDefault(t *testing.T) {
	news := baseInputs()
	news[keyLogging] = resource.NewProperty(loggingStdoutAndStderr)
	news[keyAddPreviousOutputInEnv] = resource.NewProperty(true)
	olds := baseInputs()
	conn := reveal(olds[keyConnection]).ObjectValue().Copy()
	delete(conn, "port")
	delete(conn, "user")
	olds[keyConnection] = resource.MakeSecret(resource.NewProperty(conn))
	if got := changed(olds, news); len(got) != 0 {
		t.Fatalf("defaults spelled out differ: %v", got)
	}
}

func TestDiffUnknownAndSecretness(t *testing.T) {
	news := baseInputs()
	news[keyCreate] = resource.MakeComputed(resource.NewProperty(""))
	if got := changed(baseInputs(), news); got[keyCreate] != pulumirpc.PropertyDiff_UPDATE {
		t.Fatalf("an unknown command: %v", got)
	}
	news = baseInputs()
	news[keyCreate] = resource.MakeSecret(news[keyCreate])
	if got := changed(baseInputs(), news); got[keyCreate] != pulumirpc.PropertyDiff_UPDATE {
		t.Fatalf("a command that became secret: %v", got)
	}
}

func TestDiffRemovedInput(t *testing.T) {
	news := baseInputs()
	delete(news, keyStdin)
	if got := changed(baseInputs(), news); got[keyStdin] != pulumirpc.PropertyDiff_DELETE {
		t.Fatalf("removing stdin: %v", got)
	}
}
