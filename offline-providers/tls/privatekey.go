package main

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// PrivateKey generates a key pair. Every input replaces it: a new input means a new key.
var _ = register(&kind{
	token:  "tls:index/privateKey:PrivateKey",
	inputs: []string{"algorithm", "rsaBits", "ecdsaCurve"},
	outputs: []string{
		"privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh", "publicKeyPem",
		"publicKeyOpenssh", "publicKeyFingerprintMd5", "publicKeyFingerprintSha256",
	},
	// Upstream records both defaults whatever the algorithm, so the state does too.
	defaults: resource.PropertyMap{"rsaBits": number(2048), "ecdsaCurve": str("P224")},
	validate: func(p props) []failure {
		c := checker{p: p}
		c.str("algorithm", true, algRSA, algECDSA, algED25519)
		c.integer("rsaBits", false, minRSABits)
		c.str("ecdsaCurve", false, "P224", "P256", "P384", "P521")
		return c.fails
	},
	create: createPrivateKey,
})

func createPrivateKey(p props, _ time.Time) (string, resource.PropertyMap, error) {
	r := reader{p: p}
	algorithm, bits, curve := r.str("algorithm"), r.integer("rsaBits"), r.str("ecdsaCurve")
	if r.err != nil {
		return "", nil, r.err
	}
	key, err := generateKey(algorithm, int(bits), curve)
	if err != nil {
		return "", nil, err
	}
	enc, err := encodeKey(key)
	if err != nil {
		return "", nil, err
	}
	// The ID only has to be unique and stable; the public key's SHA-256 is both.
	spki, err := x509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		return "", nil, err
	}
	sum := sha256.Sum256(spki)
	return hex.EncodeToString(sum[:]), resource.PropertyMap{
		// The private forms are secrets in the state even if a program forgets to ask.
		"privateKeyPem":              secret(enc.privatePEM),
		"privateKeyPemPkcs8":         secret(enc.privatePKCS8),
		"privateKeyOpenssh":          secret(enc.privateOpenSSH),
		"publicKeyPem":               str(enc.publicPEM),
		"publicKeyOpenssh":           str(enc.publicOpenSSH),
		"publicKeyFingerprintMd5":    str(enc.fingerprintMD5),
		"publicKeyFingerprintSha256": str(enc.fingerprintSHA256),
	}, nil
}
