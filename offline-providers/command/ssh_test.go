package main

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// These tests dial a real SSH server (sshserver_test.go) on loopback.

func TestRunCommandWithStdinAndPinnedKey(t *testing.T) {
	client, keyPEM := newClientKey(t)
	hostKey := newTestKey(t, "ed25519")
	server := startTestServer(t, client.PublicKey(), newTestKey(t, "rsa"), newTestKey(t, "ecdsa"), hostKey)
	c := testConnection(t, server.addr, keyPEM)
	c.HostKey = authorizedKey(hostKey.PublicKey())

	link, err := connect(context.Background(), c, nil)
	if err != nil {
		t.Fatalf("connect with the pinned ed25519 key of a host that also has rsa and ecdsa keys: %v", err)
	}
	defer link.Close()
	stdin := "data"
	var logged []string
	var refused []string
	res, err := runCommand(context.Background(), link.client, runRequest{
		Command:    `echo hi; cat; echo "lc=$LC_TEST other=${OTHER:-unset}" >&2`,
		Stdin:      &stdin,
		Env:        map[string]string{"LC_TEST": "yes", "OTHER": "no"},
		EnvRefused: func(name string) { refused = append(refused, name) },
		LogStdout:  func(line string) { logged = append(logged, line) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stdout != "hi\ndata" || res.Stderr != "lc=yes other=unset" {
		t.Fatalf("stdout %q stderr %q", res.Stdout, res.Stderr)
	}
	if strings.Join(logged, "|") != "hi|data" {
		t.Fatalf("logged stdout lines: %q", logged)
	}
	if strings.Join(refused, ",") != "OTHER" {
		t.Fatalf("refused env: %q", refused)
	}
}

func TestRunCommandFailureSaysStatusAndOutput(t *testing.T) {
	client, keyPEM := newClientKey(t)
	server := startTestServer(t, client.PublicKey(), newTestKey(t, "ed25519"))
	link, err := connect(context.Background(), testConnection(t, server.addr, keyPEM), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer link.Close()
	secretStdin := "TOP-SECRET"
	req := runRequest{Command: "cat >/dev/null; echo out; echo err >&2; exit 3", Stdin: &secretStdin}
	_, err = runCommand(context.Background(), link.client, req)
	if err == nil {
		t.Fatal("a failing command succeeded")
	}
	msg := err.Error()
	for _, want := range []string{"Process exited with status 3", `running "cat >/dev/null; echo out`, "out", "err"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, secretStdin) {
		t.Errorf("error quotes stdin: %q", msg)
	}
	req.CommandSecret = true
	_, err = runCommand(context.Background(), link.client, req)
	if err == nil || strings.Contains(err.Error(), "echo out") || !strings.Contains(err.Error(), "status 3") {
		t.Fatalf("secret command: %v", err)
	}
}

func TestWrongHostKeyFailsWithoutRetrying(t *testing.T) {
	client, keyPEM := newClientKey(t)
	server := startTestServer(t, client.PublicKey(), newTestKey(t, "ed25519"))
	c := testConnection(t, server.addr, keyPEM)
	c.HostKey = authorizedKey(newTestKey(t, "ed25519").PublicKey())
	c.DialErrorLimit = -1
	attempts := 0
	start := time.Now()
	_, err := connect(context.Background(), c, func(string) { attempts++ })
	var mismatch *hostKeyMismatchError
	if !errors.As(err, &mismatch) || !strings.Contains(err.Error(), "host key mismatch") {
		t.Fatalf("got %v", err)
	}
	if attempts != 0 || time.Since(start) > 2*time.Second {
		t.Fatalf("retried a host key mismatch (%d retries, %v)", attempts, time.Since(start))
	}

	// A pin of a type the host does not have is a mismatch too.
	c.HostKey = authorizedKey(newTestKey(t, "ecdsa").PublicKey())
	if _, err := connect(context.Background(), c, nil); !errors.As(err, &mismatch) {
		t.Fatalf("a pinned type the host lacks: %v", err)
	}
}

func TestDialRetriesUntilTheLimit(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := listener.Addr().String()
	_ = listener.Close() // nothing listens there now: every dial is refused
	_, keyPEM := newClientKey(t)
	c := testConnection(t, addr, keyPEM)
	c.DialErrorLimit = 3
	retries := 0
	_, err = connect(context.Background(), c, func(string) { retries++ })
	if err == nil || !strings.Contains(err.Error(), "after 3 attempt(s)") || retries != 2 {
		t.Fatalf("got %v after %d retries", err, retries)
	}
}

func TestPerDialTimeoutBoundsAHandshake(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = listener.Close() }()
	go func() { // accepts TCP, never speaks SSH
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			defer func() { _ = conn.Close() }()
		}
	}()
	_, keyPEM := newClientKey(t)
	c := testConnection(t, listener.Addr().String(), keyPEM)
	c.DialErrorLimit, c.PerDialTimeout = 1, 1
	start := time.Now()
	_, err = connect(context.Background(), c, nil)
	if err == nil || time.Since(start) > 4*time.Second || !strings.Contains(err.Error(), "did not finish") {
		t.Fatalf("got %v after %v", err, time.Since(start))
	}
}

func TestCancelledContextStopsRetrying(t *testing.T) {
	_, keyPEM := newClientKey(t)
	c := testConnection(t, "127.0.0.1:1", keyPEM)
	c.DialErrorLimit = -1
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := connect(ctx, c, nil)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 3*time.Second {
		t.Fatalf("got %v after %v", err, time.Since(start))
	}
}
