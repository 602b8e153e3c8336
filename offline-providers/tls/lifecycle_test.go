package main

import (
	"context"
	"crypto/x509"
	"slices"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

const (
	keyType  = "tls:index/privateKey:PrivateKey"
	selfType = "tls:index/selfSignedCert:SelfSignedCert"
	csrType  = "tls:index/certRequest:CertRequest"
	lscType  = "tls:index/locallySignedCert:LocallySignedCert"
)

func wire(t *testing.T, m resource.PropertyMap) *structpb.Struct {
	t.Helper()
	s, err := marshal("test", m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func strs(items ...string) resource.PropertyValue {
	out := make([]resource.PropertyValue, len(items))
	for i, s := range items {
		out[i] = str(s)
	}
	return resource.NewArrayProperty(out)
}

// create runs Check then Create the way the engine does and returns the state.
func create(t *testing.T, s *server, typ string, in resource.PropertyMap) resource.PropertyMap {
	t.Helper()
	ctx := context.Background()
	chk, err := s.Check(ctx, &pulumirpc.CheckRequest{Type: typ, News: wire(t, in)})
	if err != nil || len(chk.Failures) > 0 {
		t.Fatalf("check %s: %v %v", typ, err, chk.GetFailures())
	}
	resp, err := s.Create(ctx, &pulumirpc.CreateRequest{Type: typ, Properties: chk.Inputs})
	if err != nil {
		t.Fatalf("create %s: %v", typ, err)
	}
	state, err := unmarshal("state", resp.Properties)
	if err != nil {
		t.Fatal(err)
	}
	return state
}

func text(m resource.PropertyMap, k string) string { return plain(m[key(k)]).StringValue() }

func TestChainVerifies(t *testing.T) {
	s := newServer("test")
	caKey := create(t, s, keyType, resource.PropertyMap{"algorithm": str("ED25519")})
	if !caKey["privateKeyPem"].IsSecret() || !caKey["privateKeyOpenssh"].IsSecret() {
		t.Error("private key outputs must be secrets")
	}
	ca := create(t, s, selfType, resource.PropertyMap{
		"privateKeyPem":       caKey["privateKeyPem"], // arrives as a secret, as from the SDK
		"subject":             resource.NewObjectProperty(resource.PropertyMap{"commonName": str("test CA")}),
		"isCaCertificate":     boolean(true),
		"validityPeriodHours": number(24),
		"allowedUses":         strs("cert_signing"),
	})
	if !ca["privateKeyPem"].IsSecret() || text(ca, "keyAlgorithm") != algED25519 {
		t.Errorf("ca state: %v", ca)
	}
	leafKey := create(t, s, keyType, resource.PropertyMap{"algorithm": str("ECDSA"), "ecdsaCurve": str("P256")})
	csr := create(t, s, csrType, resource.PropertyMap{
		"privateKeyPem": leafKey["privateKeyPem"],
		"dnsNames":      strs("localhost"),
		"ipAddresses":   strs("127.0.0.1"),
	})
	leaf := create(t, s, lscType, resource.PropertyMap{
		"certRequestPem":      csr["certRequestPem"],
		"caCertPem":           ca["certPem"],
		"caPrivateKeyPem":     caKey["privateKeyPem"],
		"validityPeriodHours": number(24),
		"allowedUses":         strs("server_auth"),
	})
	if text(leaf, "caKeyAlgorithm") != algED25519 {
		t.Errorf("caKeyAlgorithm = %q", text(leaf, "caKeyAlgorithm"))
	}

	caCert, err := parseCertPEM(text(ca, "certPem"))
	if err != nil {
		t.Fatal(err)
	}
	cert, err := parseCertPEM(text(leaf, "certPem"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(caCert)
	_, err = cert.Verify(x509.VerifyOptions{Roots: roots, DNSName: "localhost", KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	if err != nil {
		t.Fatal(err)
	}
	if string(cert.AuthorityKeyId) != string(caCert.SubjectKeyId) || len(cert.AuthorityKeyId) == 0 {
		t.Error("authority key id does not name the CA")
	}
	if len(cert.IPAddresses) != 1 || cert.IPAddresses[0].String() != "127.0.0.1" {
		t.Errorf("IP SANs = %v", cert.IPAddresses)
	}
}

func TestCheckDefaultsAndFailures(t *testing.T) {
	s := newServer("test")
	chk, err := s.Check(context.Background(), &pulumirpc.CheckRequest{Type: keyType, News: wire(t, resource.PropertyMap{"algorithm": str("RSA")})})
	if err != nil {
		t.Fatal(err)
	}
	in, _ := unmarshal("inputs", chk.Inputs)
	if in["rsaBits"].NumberValue() != 2048 || in["ecdsaCurve"].StringValue() != "P224" {
		t.Errorf("defaults not applied: %v", in)
	}
	chk, _ = s.Check(context.Background(), &pulumirpc.CheckRequest{Type: lscType, News: wire(t, resource.PropertyMap{
		"certRequestPem":      resource.MakeComputed(str("")), // unknown during preview: not a failure
		"caCertPem":           str("x"),
		"validityPeriodHours": number(1.5),
		"allowedUses":         strs("nope"),
	})})
	var props []string
	for _, f := range chk.Failures {
		props = append(props, f.Property)
	}
	for _, want := range []string{"caPrivateKeyPem", "validityPeriodHours", "allowedUses"} {
		if !slices.Contains(props, want) {
			t.Errorf("no failure for %s in %v", want, chk.Failures)
		}
	}
	if slices.Contains(props, "certRequestPem") {
		t.Errorf("unknown value reported as a failure: %v", chk.Failures)
	}
}

func TestDiff(t *testing.T) {
	s := newServer("test")
	end := time.Now().Add(100 * time.Hour).UTC().Format(time.RFC3339)
	olds := resource.PropertyMap{
		"privateKeyPem":     secret("k"),
		"dnsNames":          strs("a"),
		"earlyRenewalHours": number(1),
		"validityEndTime":   str(end),
		"readyForRenewal":   boolean(false),
	}
	diff := func(news resource.PropertyMap) *pulumirpc.DiffResponse {
		t.Helper()
		news = news.Copy()
		for _, k := range []resource.PropertyKey{"privateKeyPem", "dnsNames", "earlyRenewalHours"} {
			if _, ok := news[k]; !ok {
				news[k] = olds[k]
			}
		}
		resp, err := s.Diff(context.Background(), &pulumirpc.DiffRequest{Type: selfType, Olds: wire(t, olds), News: wire(t, news)})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	if d := diff(resource.PropertyMap{"privateKeyPem": str("k")}); d.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Errorf("secret vs plain of the same value is a change: %v", d)
	}
	if d := diff(resource.PropertyMap{"dnsNames": strs("a", "b")}); !slices.Equal(d.Replaces, []string{"dnsNames"}) {
		t.Errorf("dnsNames change: %v", d)
	}
	if d := diff(resource.PropertyMap{"dnsNames": resource.MakeComputed(str(""))}); !slices.Equal(d.Replaces, []string{"dnsNames"}) {
		t.Errorf("unknown dnsNames: %v", d)
	}
	if d := diff(resource.PropertyMap{"earlyRenewalHours": number(2)}); len(d.Replaces) != 0 || !slices.Equal(d.Diffs, []string{"earlyRenewalHours"}) {
		t.Errorf("earlyRenewalHours should update in place: %v", d)
	}
	if d := diff(resource.PropertyMap{"earlyRenewalHours": number(200)}); !slices.Equal(d.Replaces, []string{"readyForRenewal"}) {
		t.Errorf("renewal window reached should replace: %v", d)
	}
}

func TestRenewalDue(t *testing.T) {
	end := time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)
	if renewalDue(end, 24, end.Add(-25*time.Hour)) {
		t.Error("due before the window")
	}
	if !renewalDue(end, 24, end.Add(-24*time.Hour)) || !renewalDue(end, 0, end) {
		t.Error("not due at the window's start / at expiry")
	}
}
