package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"golang.org/x/crypto/ssh"
)

func problems(m resource.PropertyMap) map[string]string {
	out := map[string]string{}
	for _, e := range checkInputs(withConnectionDefaults(m)) {
		out[e.path] = e.reason
	}
	return out
}

func TestCheckAcceptsTypicalInputs(t *testing.T) {
	in := baseInputs()
	in[keyConnection] = resource.MakeSecret(resource.NewProperty(resource.PropertyMap{
		"host": resource.NewProperty("h"), "password": resource.NewProperty("pw"),
	}))
	if got := problems(in); len(got) != 0 {
		t.Fatalf("problems: %v", got)
	}
}

func TestCheckReportsEachProblem(t *testing.T) {
	in := resource.PropertyMap{
		keyCreate:  resource.NewProperty(3.0),
		keyLogging: resource.NewProperty("loud"),
		keyConnection: resource.NewProperty(resource.PropertyMap{
			"port":           resource.NewProperty(70000.0),
			"hostKey":        resource.NewProperty("AAAA"),
			"dialErrorLimit": resource.NewProperty(-2.0),
			"perDialTimeout": resource.NewProperty(1.5),
			"proxy":          resource.NewProperty(resource.PropertyMap{"user": resource.NewProperty("u")}),
		}),
	}
	got := problems(in)
	for _, path := range []string{
		keyCreate, keyLogging, "connection.host", "connection.port", "connection.hostKey",
		"connection.dialErrorLimit", "connection.perDialTimeout", "connection.proxy.host",
	} {
		if got[path] == "" {
			t.Errorf("no problem reported for %s (got %v)", path, got)
		}
	}
	if got := problems(resource.PropertyMap{}); got[keyConnection] != "is required" {
		t.Errorf("missing connection: %v", got)
	}
}

func TestCheckSkipsUnknowns(t *testing.T) {
	in := baseInputs()
	in[keyConnection] = resource.MakeComputed(resource.NewProperty(""))
	if got := problems(in); len(got) != 0 {
		t.Fatalf("an unknown connection: %v", got)
	}
	in[keyConnection] = resource.NewProperty(resource.PropertyMap{"host": resource.MakeComputed(resource.NewProperty(""))})
	if got := problems(in); len(got) != 0 {
		t.Fatalf("an unknown host: %v", got)
	}
}

func TestCheckFillsConnectionDefaultsAndKeepsItSecret(t *testing.T) {
	in := resource.PropertyMap{keyConnection: resource.NewProperty(resource.PropertyMap{
		"host":       resource.NewProperty("h"),
		"privateKey": resource.MakeSecret(resource.NewProperty("K")),
		"proxy":      resource.NewProperty(resource.PropertyMap{"host": resource.NewProperty("p")}),
	})}
	out := withConnectionDefaults(in)
	conn := out[keyConnection]
	if !conn.IsSecret() {
		t.Fatal("the connection is not secret")
	}
	obj := conn.SecretValue().Element.ObjectValue()
	if obj["port"].NumberValue() != 22 || obj["user"].StringValue() != "root" ||
		obj["dialErrorLimit"].NumberValue() != 10 || obj["perDialTimeout"].NumberValue() != 15 {
		t.Fatalf("defaults: %v", obj)
	}
	if !obj["privateKey"].IsSecret() {
		t.Fatal("a nested secret lost its wrapper")
	}
	if proxy := obj["proxy"].ObjectValue(); proxy["port"].NumberValue() != 22 {
		t.Fatalf("proxy defaults: %v", proxy)
	}
	if in[keyConnection].IsSecret() {
		t.Fatal("the input map was changed in place")
	}
	again := withConnectionDefaults(out)
	if again[keyConnection].SecretValue().Element.IsSecret() {
		t.Fatal("a secret connection was wrapped twice")
	}
}

func TestCheckPrivateKey(t *testing.T) {
	_, private, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKeyWithPassphrase(private, "", []byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	encrypted := string(pem.EncodeToMemory(block))
	conn := func(extra resource.PropertyMap) resource.PropertyMap {
		m := resource.PropertyMap{"host": resource.NewProperty("h"), "privateKey": resource.NewProperty(encrypted)}
		for k, v := range extra {
			m[k] = v
		}
		return resource.PropertyMap{keyConnection: resource.NewProperty(m)}
	}
	got := problems(conn(nil))["connection.privateKey"]
	if !strings.Contains(got, "privateKeyPassword") {
		t.Fatalf("an encrypted key without its passphrase: %q", got)
	}
	if got := problems(conn(resource.PropertyMap{"privateKeyPassword": resource.NewProperty("secret")})); len(got) != 0 {
		t.Fatalf("with the passphrase: %v", got)
	}
	if got := problems(conn(resource.PropertyMap{"privateKey": resource.NewProperty("garbage")})); strings.Contains(got["connection.privateKey"], "garbage") {
		t.Fatalf("the error quotes the key: %v", got)
	}
}
