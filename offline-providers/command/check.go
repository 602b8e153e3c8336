package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"golang.org/x/crypto/ssh"
)

// checkInputs validates a Command's inputs before anything runs, so a bad
// value fails the preview instead of the update. Values not known yet
// (previews) are skipped; they are checked again when they are known.
func checkInputs(m resource.PropertyMap) []fieldError {
	in, errs := readInputs(m)
	conn := m[keyConnection]
	switch {
	case conn.IsNull():
		errs = append(errs, fieldError{keyConnection, "is required"})
	case unknown(conn) || !reveal(conn).IsObject():
		// Not known yet, or a type error readInputs reported already.
	default:
		raw := reveal(conn).ObjectValue()
		errs = append(errs, checkConnection(raw, in.Connection, keyConnection)...)
		if in.Connection.Proxy != nil {
			rawProxy := reveal(raw["proxy"])
			if rawProxy.IsObject() {
				errs = append(errs, checkConnection(rawProxy.ObjectValue(), *in.Connection.Proxy, keyConnection+".proxy")...)
			}
		}
	}
	switch in.Logging {
	case loggingStdout, loggingStderr, loggingStdoutAndStderr, loggingNone:
	default:
		errs = append(errs, fieldError{keyLogging,
			`must be one of "stdout", "stderr", "stdoutAndStderr", "none", got "` + in.Logging + `"`})
	}
	return errs
}

func checkConnection(raw resource.PropertyMap, c connection, path string) []fieldError {
	var errs []fieldError
	fail := func(field, reason string) { errs = append(errs, fieldError{path + "." + field, reason}) }
	if c.Host == "" && !unknown(raw["host"]) {
		fail("host", "is required")
	}
	if c.Port < 1 || c.Port > 65535 {
		fail("port", "must be between 1 and 65535")
	}
	if c.DialErrorLimit < -1 {
		fail("dialErrorLimit", "must be -1 (no limit) or the number of failed dials to allow")
	}
	if c.PerDialTimeout < 0 {
		fail("perDialTimeout", "must be 0 (no limit) or a number of seconds")
	}
	if c.HostKey != "" {
		if _, err := parseHostKey(c.HostKey); err != nil {
			fail("hostKey", err.Error())
		}
	}
	// A key that cannot be read (or needs a passphrase) fails here rather than
	// after the first dial. The parser's errors never quote the key.
	if c.PrivateKey != "" {
		if _, err := parseSigner(c.PrivateKey, c.PrivateKeyPassword); err != nil {
			fail("privateKey", err.Error())
		}
	}
	return errs
}

// withConnectionDefaults fills the connection defaults the SDK documents (the
// Node SDK fills them itself; other clients may not) and makes the connection
// secret: it holds credentials, and the schema marks it secret.
func withConnectionDefaults(m resource.PropertyMap) resource.PropertyMap {
	conn, ok := m[keyConnection]
	if !ok || conn.IsNull() {
		return m
	}
	conn = connectionDefaults(conn, true)
	if !conn.IsSecret() {
		conn = resource.MakeSecret(conn)
	}
	out := m.Copy()
	out[keyConnection] = conn
	return out
}

// connectionDefaults returns v (one connection object, possibly secret) with
// absent fields set to their defaults; nested secrets are kept as they are.
func connectionDefaults(v resource.PropertyValue, withProxy bool) resource.PropertyValue {
	secret := v.IsSecret()
	inner := reveal(v)
	if !inner.IsObject() {
		return v
	}
	obj := inner.ObjectValue().Copy()
	setDefault := func(key string, def resource.PropertyValue) {
		if cur, has := obj[resource.PropertyKey(key)]; !has || cur.IsNull() {
			obj[resource.PropertyKey(key)] = def
		}
	}
	setDefault("port", resource.NewProperty(float64(defaultPort)))
	setDefault("user", resource.NewProperty(defaultUser))
	setDefault("dialErrorLimit", resource.NewProperty(float64(defaultDialErrorLimit)))
	setDefault("perDialTimeout", resource.NewProperty(float64(defaultPerDialTimeout)))
	if proxy, has := obj["proxy"]; withProxy && has && !proxy.IsNull() {
		obj["proxy"] = connectionDefaults(proxy, false)
	}
	out := resource.NewProperty(obj)
	if secret {
		out = resource.MakeSecret(out)
	}
	return out
}

// parseSigner reads an SSH private key (OpenSSH or PEM), decrypting it with
// the passphrase when one is given.
func parseSigner(key, passphrase string) (ssh.Signer, error) {
	if passphrase != "" {
		return ssh.ParsePrivateKeyWithPassphrase([]byte(key), []byte(passphrase))
	}
	signer, err := ssh.ParsePrivateKey([]byte(key))
	if _, missing := err.(*ssh.PassphraseMissingError); missing {
		return nil, errPassphraseMissing
	}
	return signer, err
}
