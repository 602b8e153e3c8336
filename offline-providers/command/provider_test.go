package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const testURN = "urn:pulumi:dev::proj::command:remote:Command::main"

// TestResourceLifecycle drives the gRPC methods the way the engine does
// (Check, Create, Diff, Update, Delete) against the loopback SSH server.
func TestResourceLifecycle(t *testing.T) {
	client, keyPEM := newClientKey(t)
	hostKey := newTestKey(t, "ed25519")
	server := startTestServer(t, client.PublicKey(), hostKey)
	c := testConnection(t, server.addr, keyPEM)
	marker := t.TempDir() + "/deleted"
	ctx := context.Background()
	p := newCommandProvider(nil, "1.2.1")

	inputs := func(create string) resource.PropertyMap {
		return resource.PropertyMap{
			keyConnection: resource.MakeSecret(resource.NewProperty(resource.PropertyMap{
				"host":       resource.NewProperty(c.Host),
				"port":       resource.NewProperty(float64(c.Port)),
				"user":       resource.NewProperty(c.User),
				"privateKey": resource.NewProperty(c.PrivateKey),
				"hostKey":    resource.NewProperty(authorizedKey(hostKey.PublicKey())),
			})),
			keyCreate: resource.NewProperty(create),
			keyDelete: resource.NewProperty("echo gone > " + marker),
			keyStdin:  resource.MakeSecret(resource.NewProperty("data")),
		}
	}
	checked := func(m resource.PropertyMap) resource.PropertyMap {
		s, err := marshalProps(m, "test")
		if err != nil {
			t.Fatal(err)
		}
		resp, err := p.Check(ctx, &pulumirpc.CheckRequest{Urn: testURN, News: s})
		if err != nil || len(resp.GetFailures()) > 0 {
			t.Fatalf("check: %v %v", err, resp.GetFailures())
		}
		out, err := unmarshalProps(resp.GetInputs(), "checked")
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	first := checked(inputs("echo hi; cat"))
	s, _ := marshalProps(first, "inputs")
	created, err := p.Create(ctx, &pulumirpc.CreateRequest{Urn: testURN, Properties: s, Timeout: 30})
	if err != nil {
		t.Fatal(err)
	}
	state, _ := unmarshalProps(created.GetProperties(), "state")
	if !strings.HasPrefix(created.GetId(), "main-") || !state[keyStdout].IsSecret() ||
		reveal(state[keyStdout]).StringValue() != "hi\ndata" || !state[keyStdin].IsSecret() {
		t.Fatalf("create: id %q state %v", created.GetId(), state)
	}

	second := checked(inputs("echo changed"))
	s2, _ := marshalProps(second, "news")
	diff, err := p.Diff(ctx, &pulumirpc.DiffRequest{Urn: testURN, Id: created.GetId(), OldInputs: s, Olds: created.GetProperties(), News: s2})
	if err != nil || diff.GetChanges() != pulumirpc.DiffResponse_DIFF_SOME || len(diff.GetReplaces()) != 0 {
		t.Fatalf("diff: %v %v", diff, err)
	}
	updated, err := p.Update(ctx, &pulumirpc.UpdateRequest{Urn: testURN, Id: created.GetId(), Olds: created.GetProperties(), News: s2, OldInputs: s})
	if err != nil {
		t.Fatal(err)
	}
	state, _ = unmarshalProps(updated.GetProperties(), "state")
	if reveal(state[keyStdout]).StringValue() != "changed" {
		t.Fatalf("update stdout: %v", state[keyStdout])
	}

	if _, err := p.Delete(ctx, &pulumirpc.DeleteRequest{Urn: testURN, Id: created.GetId(), Properties: updated.GetProperties()}); err != nil {
		t.Fatal(err)
	}
	if out, err := readFileString(marker); err != nil || out != "gone\n" {
		t.Fatalf("the delete command did not run: %q %v", out, err)
	}
}

func readFileString(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}
