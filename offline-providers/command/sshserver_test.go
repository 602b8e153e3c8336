package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"
)

// testServer is a minimal SSH server on loopback for the dial and run tests:
// it accepts one client key, runs "exec" requests with /bin/sh and, like a
// stock sshd, accepts only LC_* names in "env" requests.
type testServer struct {
	addr     string
	hostKeys []ssh.Signer
	listener net.Listener
	wg       sync.WaitGroup
}

func startTestServer(t *testing.T, clientKey ssh.PublicKey, hostKeys ...ssh.Signer) *testServer {
	t.Helper()
	config := &ssh.ServerConfig{
		PublicKeyCallback: func(_ ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if string(key.Marshal()) == string(clientKey.Marshal()) {
				return nil, nil
			}
			return nil, errors.New("unknown key")
		},
	}
	for _, k := range hostKeys {
		config.AddHostKey(k)
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{addr: listener.Addr().String(), hostKeys: hostKeys, listener: listener}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(conn, config)
			}()
		}
	}()
	t.Cleanup(func() { _ = listener.Close(); s.wg.Wait() })
	return s
}

func (s *testServer) serve(conn net.Conn, config *ssh.ServerConfig) {
	defer func() { _ = conn.Close() }()
	_, chans, reqs, err := ssh.NewServerConn(conn, config)
	if err != nil {
		return
	}
	go ssh.DiscardRequests(reqs)
	for newChannel := range chans {
		if newChannel.ChannelType() != "session" {
			_ = newChannel.Reject(ssh.UnknownChannelType, "only sessions")
			continue
		}
		channel, requests, err := newChannel.Accept()
		if err != nil {
			return
		}
		go serveSession(channel, requests)
	}
}

func serveSession(channel ssh.Channel, requests <-chan *ssh.Request) {
	defer func() { _ = channel.Close() }()
	var env []string
	for req := range requests {
		switch req.Type {
		case "env":
			var kv struct{ Name, Value string }
			ok := ssh.Unmarshal(req.Payload, &kv) == nil && strings.HasPrefix(kv.Name, "LC_")
			if ok {
				env = append(env, kv.Name+"="+kv.Value)
			}
			_ = req.Reply(ok, nil)
		case "exec":
			var command struct{ Value string }
			if ssh.Unmarshal(req.Payload, &command) != nil {
				_ = req.Reply(false, nil)
				return
			}
			_ = req.Reply(true, nil)
			cmd := exec.Command("/bin/sh", "-c", command.Value)
			cmd.Env = append(os.Environ(), env...)
			cmd.Stdin, cmd.Stdout, cmd.Stderr = channel, channel, channel.Stderr()
			status := uint32(0)
			if err := cmd.Run(); err != nil {
				status = 255
				var exitErr *exec.ExitError
				if errors.As(err, &exitErr) {
					status = uint32(exitErr.ExitCode())
				}
			}
			payload := make([]byte, 4)
			binary.BigEndian.PutUint32(payload, status)
			_, _ = channel.SendRequest("exit-status", false, payload)
			return
		default:
			_ = req.Reply(false, nil)
		}
	}
}

// newClientKey makes a client key: its signer and its OpenSSH PEM text.
func newClientKey(t *testing.T) (ssh.Signer, string) {
	t.Helper()
	_, private, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(private)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(private, "")
	if err != nil {
		t.Fatal(err)
	}
	return signer, string(pem.EncodeToMemory(block))
}

// testConnection is a connection to addr with a client key in PEM form.
func testConnection(t *testing.T, addr, keyPEM string) connection {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	portNumber, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	return connection{
		Host: host, Port: portNumber, User: "tester", PrivateKey: keyPEM,
		DialErrorLimit: 3, PerDialTimeout: 5,
	}
}
