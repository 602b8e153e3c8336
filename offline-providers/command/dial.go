package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

var errPassphraseMissing = errors.New("the key is encrypted: set privateKeyPassword")

// dialFunc opens the TCP stream to the SSH server: directly, or through the
// proxy's SSH connection.
type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// sshLink is an SSH connection to the target, plus the proxy connection it
// runs through (if any); Close closes both.
type sshLink struct {
	client *ssh.Client
	proxy  *ssh.Client
}

func (l *sshLink) Close() {
	_ = l.client.Close()
	if l.proxy != nil {
		_ = l.proxy.Close()
	}
}

// connect reaches the connection's host, through its proxy when one is set.
// Each hop retries with its own dialErrorLimit and perDialTimeout. waiting is
// told about each failed dial, so the user sees why nothing happens yet.
func connect(ctx context.Context, c connection, waiting func(string)) (*sshLink, error) {
	dial := dialFunc((&net.Dialer{}).DialContext)
	var proxy *ssh.Client
	if c.Proxy != nil {
		var err error
		if proxy, err = dialWithRetries(ctx, *c.Proxy, dial, "proxy ", waiting); err != nil {
			return nil, err
		}
		dial = proxy.DialContext
	}
	client, err := dialWithRetries(ctx, c, dial, "", waiting)
	if err != nil {
		if proxy != nil {
			_ = proxy.Close()
		}
		return nil, err
	}
	return &sshLink{client: client, proxy: proxy}, nil
}

// dialWithRetries dials until it succeeds, dialErrorLimit dials have failed,
// the context ends, or the host key does not match (which no retry can fix).
func dialWithRetries(ctx context.Context, c connection, dial dialFunc, role string, waiting func(string)) (*ssh.Client, error) {
	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	agents := &agentConns{}
	defer agents.Close() // only the handshake signs; the session does not need the agent
	config, err := clientConfig(c, addr, agents)
	if err != nil {
		return nil, err
	}
	waits := &backoff{}
	for failures := 1; ; failures++ {
		client, err := dialOnce(ctx, dial, addr, config, time.Duration(c.PerDialTimeout)*time.Second)
		if err == nil {
			return client, nil
		}
		err = asHostKeyMismatch(err, addr, c.HostKey)
		var mismatch *hostKeyMismatchError
		if errors.As(err, &mismatch) {
			return nil, fmt.Errorf("ssh to %s%s@%s: %w", role, c.User, addr, err)
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("ssh to %s%s@%s: %w (last dial error: %v)", role, c.User, addr, ctx.Err(), err)
		}
		if dialLimitReached(failures, c.DialErrorLimit) {
			return nil, fmt.Errorf("ssh to %s%s@%s failed after %d attempt(s) (dialErrorLimit %d): %w",
				role, c.User, addr, failures, c.DialErrorLimit, err)
		}
		wait := waits.Next()
		if waiting != nil {
			waiting(fmt.Sprintf("waiting for SSH on %s%s (attempt %d failed: %v)", role, addr, failures, err))
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("ssh to %s%s@%s: %w (last dial error: %v)", role, c.User, addr, ctx.Err(), err)
		case <-time.After(wait):
		}
	}
}

// dialOnce is one attempt: TCP connect plus SSH handshake, together bounded
// by perDialTimeout (ssh.ClientConfig.Timeout alone bounds only the connect,
// and a host that accepts TCP but never answers SSH would hang us).
func dialOnce(ctx context.Context, dial dialFunc, addr string, config *ssh.ClientConfig, timeout time.Duration) (*ssh.Client, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	conn, err := dial(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	// Closing the stream is the only way to interrupt a handshake in progress.
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	sshConn, chans, reqs, err := ssh.NewClientConn(conn, addr, config)
	if !stop() {
		if err == nil {
			_ = sshConn.Close()
		}
		return nil, fmt.Errorf("ssh handshake with %s did not finish: %w", addr, context.Cause(ctx))
	}
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	return ssh.NewClient(sshConn, chans, reqs), nil
}

// clientConfig builds the SSH client settings of one hop.
func clientConfig(c connection, addr string, agents *agentConns) (*ssh.ClientConfig, error) {
	callback, algorithms, err := hostKeyCheck(addr, c.HostKey)
	if err != nil {
		return nil, err
	}
	auth, err := authMethods(c, agents)
	if err != nil {
		return nil, err
	}
	return &ssh.ClientConfig{
		User:              c.User,
		Auth:              auth,
		HostKeyCallback:   callback,
		HostKeyAlgorithms: algorithms,
	}, nil
}

// authMethods offers, in this order, the private key, the agent's keys and
// the password. The agent is SSH_AUTH_SOCK only when nothing else is given, so
// a stray agent cannot use up the server's MaxAuthTries before the real key.
func authMethods(c connection, agents *agentConns) ([]ssh.AuthMethod, error) {
	var methods []ssh.AuthMethod
	if c.PrivateKey != "" {
		signer, err := parseSigner(c.PrivateKey, c.PrivateKeyPassword)
		if err != nil {
			return nil, fmt.Errorf("connection.privateKey: %w", err)
		}
		methods = append(methods, ssh.PublicKeys(signer))
	}
	socket := c.AgentSocketPath
	if socket == "" && c.PrivateKey == "" && c.Password == "" {
		socket = os.Getenv("SSH_AUTH_SOCK")
	}
	if socket != "" {
		methods = append(methods, ssh.PublicKeysCallback(agents.signers(socket)))
	}
	if c.Password != "" {
		password := c.Password
		methods = append(methods, ssh.Password(password),
			ssh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
				answers := make([]string, len(questions))
				for i := range answers {
					answers[i] = password
				}
				return answers, nil
			}))
	}
	if len(methods) == 0 {
		return nil, errors.New("connection: no way to authenticate: set privateKey, password or agentSocketPath")
	}
	return methods, nil
}

// agentConns holds the agent connections opened by handshakes; the signers
// talk to the agent while the handshake signs, so they stay open until the
// dialling is over.
type agentConns struct {
	mu    sync.Mutex
	conns []net.Conn
}

// signers asks the agent for its keys when a handshake needs them. The socket
// is opened per handshake, so an agent that starts late still works.
func (a *agentConns) signers(socket string) func() ([]ssh.Signer, error) {
	return func() ([]ssh.Signer, error) {
		conn, err := net.Dial("unix", socket)
		if err != nil {
			return nil, fmt.Errorf("ssh agent at %s: %w", socket, err)
		}
		a.mu.Lock()
		a.conns = append(a.conns, conn)
		a.mu.Unlock()
		return agent.NewClient(conn).Signers()
	}
}

func (a *agentConns) Close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range a.conns {
		_ = c.Close()
	}
	a.conns = nil
}
