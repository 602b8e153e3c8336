package main

import (
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

func TestEncodeKeyFormats(t *testing.T) {
	cases := []struct {
		algorithm, curve, pemType string
		bits                      int
		ssh                       bool
	}{
		{algorithm: algRSA, bits: 2048, pemType: "RSA PRIVATE KEY", ssh: true},
		{algorithm: algECDSA, curve: "P224", pemType: "EC PRIVATE KEY", ssh: false},
		{algorithm: algECDSA, curve: "P256", pemType: "EC PRIVATE KEY", ssh: true},
		{algorithm: algECDSA, curve: "P384", pemType: "EC PRIVATE KEY", ssh: true},
		{algorithm: algECDSA, curve: "P521", pemType: "EC PRIVATE KEY", ssh: true},
		{algorithm: algED25519, pemType: "PRIVATE KEY", ssh: true},
	}
	for _, c := range cases {
		t.Run(c.algorithm+c.curve, func(t *testing.T) {
			key, err := generateKey(c.algorithm, c.bits, c.curve)
			if err != nil {
				t.Fatal(err)
			}
			enc, err := encodeKey(key)
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := pem.Decode([]byte(enc.privatePEM)); b == nil || b.Type != c.pemType {
				t.Errorf("privateKeyPem block = %v, want %q", b, c.pemType)
			}
			if b, _ := pem.Decode([]byte(enc.publicPEM)); b == nil || b.Type != "PUBLIC KEY" {
				t.Errorf("publicKeyPem block = %v", b)
			}
			// Every private form must parse back to the same key.
			forms := []string{enc.privatePEM, enc.privatePKCS8}
			if c.ssh {
				forms = append(forms, enc.privateOpenSSH)
			}
			for _, form := range forms {
				back, err := parsePrivateKey(form)
				if err != nil {
					t.Fatalf("parse %q: %v", strings.SplitN(form, "\n", 2)[0], err)
				}
				if algorithmOf(back.Public()) != c.algorithm {
					t.Errorf("algorithm = %q, want %q", algorithmOf(back.Public()), c.algorithm)
				}
				want, _ := x509.MarshalPKIXPublicKey(key.Public())
				got, _ := x509.MarshalPKIXPublicKey(back.Public())
				if string(want) != string(got) {
					t.Errorf("public key changed after parsing %q", strings.SplitN(form, "\n", 2)[0])
				}
			}
			if !c.ssh {
				if enc.publicOpenSSH != "" || enc.privateOpenSSH != "" || enc.fingerprintSHA256 != "" {
					t.Errorf("P-224 has no OpenSSH form, got %+v", enc)
				}
				return
			}
			if !strings.HasSuffix(enc.publicOpenSSH, "\n") {
				t.Errorf("publicKeyOpenssh lacks the trailing newline: %q", enc.publicOpenSSH)
			}
			pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(enc.publicOpenSSH))
			if err != nil {
				t.Fatal(err)
			}
			if ssh.FingerprintSHA256(pub) != enc.fingerprintSHA256 || !strings.HasPrefix(enc.fingerprintSHA256, "SHA256:") {
				t.Errorf("fingerprintSha256 = %q", enc.fingerprintSHA256)
			}
			if len(strings.Split(enc.fingerprintMD5, ":")) != 16 {
				t.Errorf("fingerprintMd5 = %q, want 16 colon-separated bytes", enc.fingerprintMD5)
			}
		})
	}
}

func TestParsePrivateKeyRejects(t *testing.T) {
	for name, text := range map[string]string{
		"not PEM":     "hello",
		"certificate": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		"garbage DER": "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
	} {
		if _, err := parsePrivateKey(text); err == nil {
			t.Errorf("%s: parsed, want an error", name)
		}
	}
}

func TestParseUses(t *testing.T) {
	ku, eku, err := parseUses([]string{"digital_signature", "cert_signing", "server_auth", "client_auth"})
	if err != nil {
		t.Fatal(err)
	}
	if ku != x509.KeyUsageDigitalSignature|x509.KeyUsageCertSign {
		t.Errorf("key usage = %b", ku)
	}
	if len(eku) != 2 || eku[0] != x509.ExtKeyUsageServerAuth || eku[1] != x509.ExtKeyUsageClientAuth {
		t.Errorf("ext key usage = %v", eku)
	}
	_, _, err = parseUses([]string{"serverAuth"})
	if err == nil || !strings.Contains(err.Error(), `did you mean "server_auth"`) {
		t.Errorf("camelCase error = %v", err)
	}
	_, _, err = parseUses([]string{"bogus"})
	if err == nil || strings.Contains(err.Error(), "did you mean") || !strings.Contains(err.Error(), "ocsp_signing") {
		t.Errorf("unknown use error = %v", err)
	}
}
