package main

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// newTestKey makes a key of the given kind and returns its signer.
func newTestKey(t *testing.T, kind string) ssh.Signer {
	t.Helper()
	var private any
	var err error
	switch kind {
	case "ed25519":
		_, private, err = ed25519.GenerateKey(rand.Reader)
	case "ecdsa":
		private, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "rsa":
		private, err = rsa.GenerateKey(rand.Reader, 2048)
	}
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(private)
	if err != nil {
		t.Fatal(err)
	}
	return signer
}

func authorizedKey(key ssh.PublicKey) string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key)))
}

func TestParseHostKey(t *testing.T) {
	key := newTestKey(t, "ed25519").PublicKey()
	for _, s := range []string{authorizedKey(key), authorizedKey(key) + " root@host", authorizedKey(key) + "\n"} {
		got, err := parseHostKey(s)
		if err != nil {
			t.Fatalf("parseHostKey(%q): %v", s, err)
		}
		if got.Type() != ssh.KeyAlgoED25519 || string(got.Marshal()) != string(key.Marshal()) {
			t.Fatalf("parseHostKey(%q) returned another key", s)
		}
	}
	other := newTestKey(t, "ed25519").PublicKey()
	for _, bad := range []string{"AAAA", "ssh-ed25519", "", authorizedKey(key) + "\n" + authorizedKey(other)} {
		if _, err := parseHostKey(bad); err == nil {
			t.Errorf("parseHostKey(%q) accepted it", bad)
		}
	}
}

func TestHostKeyAlgorithmsOfferOnlyThePinnedType(t *testing.T) {
	cases := map[string][]string{
		"ed25519": {ssh.KeyAlgoED25519},
		"ecdsa":   {ssh.KeyAlgoECDSA256},
		"rsa":     {ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA},
	}
	for kind, want := range cases {
		got := hostKeyAlgorithms(newTestKey(t, kind).PublicKey())
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", kind, got, want)
		}
	}
}

func TestPinnedHostKeyCallback(t *testing.T) {
	pinned := newTestKey(t, "ed25519").PublicKey()
	callback, algorithms, err := hostKeyCheck("h:22", authorizedKey(pinned))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(algorithms, []string{ssh.KeyAlgoED25519}) {
		t.Fatalf("algorithms %v", algorithms)
	}
	if err := callback("h:22", nil, pinned); err != nil {
		t.Fatalf("the pinned key was refused: %v", err)
	}
	err = callback("h:22", nil, newTestKey(t, "ed25519").PublicKey())
	var mismatch *hostKeyMismatchError
	if !errors.As(err, &mismatch) || !strings.Contains(err.Error(), "host key mismatch") ||
		!strings.Contains(err.Error(), ssh.FingerprintSHA256(pinned)) {
		t.Fatalf("another key: got %v", err)
	}
}

func TestNoPinAcceptsAnyKey(t *testing.T) {
	callback, algorithms, err := hostKeyCheck("h:22", "")
	if err != nil || algorithms != nil {
		t.Fatalf("got %v, %v", algorithms, err)
	}
	if err := callback("h:22", nil, newTestKey(t, "rsa").PublicKey()); err != nil {
		t.Fatalf("without a pin a key was refused: %v", err)
	}
}

func TestNoCommonHostKeyAlgorithmIsAMismatch(t *testing.T) {
	pinned := authorizedKey(newTestKey(t, "ed25519").PublicKey())
	negotiation := fmt.Errorf("ssh: handshake failed: %w", &ssh.AlgorithmNegotiationError{What: "host key"})
	var mismatch *hostKeyMismatchError
	if err := asHostKeyMismatch(negotiation, "h:22", pinned); !errors.As(err, &mismatch) {
		t.Fatalf("got %v", err)
	}
	cipher := &ssh.AlgorithmNegotiationError{What: "client to server cipher"}
	if err := asHostKeyMismatch(cipher, "h:22", pinned); err != error(cipher) {
		t.Fatalf("a cipher failure became %v", err)
	}
	if err := asHostKeyMismatch(negotiation, "h:22", ""); err != negotiation {
		t.Fatalf("without a pin: %v", err)
	}
}
