package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"

	"golang.org/x/crypto/ssh"
)

// parseHostKey reads a pinned host key in authorized_keys form
// ("ssh-ed25519 AAAA... [comment]"), the form `ssh-keyscan` prints after the
// host name and the form the host's /etc/ssh/ssh_host_*_key.pub files hold.
func parseHostKey(s string) (ssh.PublicKey, error) {
	key, _, _, rest, err := ssh.ParseAuthorizedKey([]byte(s))
	if err != nil {
		return nil, fmt.Errorf(`must be a public key in authorized_keys form ("ssh-ed25519 AAAA..."): %v`, err)
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, errors.New("must be a single public key, got more than one line")
	}
	return key, nil
}

// hostKeyAlgorithms lists what the client offers when a key is pinned. A host
// has several keys (ed25519, ecdsa, rsa) and presents the one of the first
// algorithm both sides know; offering only the pinned key's type makes it
// present exactly that key, so the pin does not fail against another of its
// genuine keys.
func hostKeyAlgorithms(key ssh.PublicKey) []string {
	if key.Type() == ssh.KeyAlgoRSA {
		// One RSA key signs with any of these; the SHA-2 ones first (SHA-1 is
		// refused by current OpenSSH servers).
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{key.Type()}
}

// hostKeyMismatchError says the host is not the pinned one. Dialling again
// cannot change that, so the retry loop gives up at once.
type hostKeyMismatchError struct {
	addr   string
	pinned ssh.PublicKey
	got    ssh.PublicKey // nil when the host has no key of the pinned type
}

func (e *hostKeyMismatchError) Error() string {
	if e.got == nil {
		return fmt.Sprintf("host key mismatch: %s has no %s host key, but connection.hostKey pins one (%s)",
			e.addr, e.pinned.Type(), ssh.FingerprintSHA256(e.pinned))
	}
	return fmt.Sprintf("host key mismatch: %s presented %s %s, but connection.hostKey pins %s %s",
		e.addr, e.got.Type(), ssh.FingerprintSHA256(e.got), e.pinned.Type(), ssh.FingerprintSHA256(e.pinned))
}

// hostKeyCheck returns the callback and algorithm list for a connection: with
// a pin, only that exact key is accepted; without one, any key is (as upstream
// does; the docker-host component warns about a missing pin).
func hostKeyCheck(addr, pinned string) (ssh.HostKeyCallback, []string, error) {
	if pinned == "" {
		return ssh.InsecureIgnoreHostKey(), nil, nil
	}
	want, err := parseHostKey(pinned)
	if err != nil {
		return nil, nil, fmt.Errorf("connection.hostKey %v", err)
	}
	callback := func(_ string, _ net.Addr, got ssh.PublicKey) error {
		if bytes.Equal(got.Marshal(), want.Marshal()) {
			return nil
		}
		return &hostKeyMismatchError{addr: addr, pinned: want, got: got}
	}
	return callback, hostKeyAlgorithms(want), nil
}

// asHostKeyMismatch turns a handshake error into a mismatch when the host
// offered no key of the pinned type: with the algorithms restricted, that is
// how a host with other keys fails.
func asHostKeyMismatch(err error, addr, pinned string) error {
	var negotiation *ssh.AlgorithmNegotiationError
	if pinned == "" || !errors.As(err, &negotiation) || negotiation.What != "host key" {
		return err
	}
	want, parseErr := parseHostKey(pinned)
	if parseErr != nil {
		return err
	}
	return &hostKeyMismatchError{addr: addr, pinned: want}
}
