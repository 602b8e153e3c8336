package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"golang.org/x/crypto/ssh"
)

// Algorithm names as upstream spells them, in inputs and in keyAlgorithm/caKeyAlgorithm outputs.
const (
	algRSA     = "RSA"
	algECDSA   = "ECDSA"
	algED25519 = "ED25519"
)

var curves = map[string]elliptic.Curve{
	"P224": elliptic.P224(),
	"P256": elliptic.P256(),
	"P384": elliptic.P384(),
	"P521": elliptic.P521(),
}

// minRSABits is the smallest size Go's rsa.GenerateKey accepts; Check rejects smaller sizes up
// front so the user gets a property error instead of a failed create.
const minRSABits = 1024

// generateKey makes a new private key with crypto/rand.
func generateKey(algorithm string, rsaBits int, curve string) (crypto.Signer, error) {
	switch algorithm {
	case algRSA:
		return rsa.GenerateKey(rand.Reader, rsaBits)
	case algECDSA:
		c, ok := curves[curve]
		if !ok {
			return nil, fmt.Errorf("unsupported ECDSA curve %q", curve)
		}
		return ecdsa.GenerateKey(c, rand.Reader)
	case algED25519:
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		return priv, err
	}
	return nil, fmt.Errorf("unsupported algorithm %q", algorithm)
}

// keyEncodings holds every textual form of a key that PrivateKey outputs.
type keyEncodings struct {
	privatePEM, privatePKCS8, privateOpenSSH string
	publicPEM, publicOpenSSH                 string
	fingerprintMD5, fingerprintSHA256        string
}

// encodeKey renders a key the way upstream's outputs expect: privateKeyPem in the key type's
// traditional PEM (PKCS#1 for RSA, SEC1 for ECDSA; Ed25519 has none, so PKCS#8), plus PKCS#8,
// PKIX and OpenSSH forms. OpenSSH has no P-224, so those outputs stay empty for that curve.
func encodeKey(key crypto.Signer) (keyEncodings, error) {
	var enc keyEncodings
	var block *pem.Block
	switch k := key.(type) {
	case *rsa.PrivateKey:
		block = &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}
	case *ecdsa.PrivateKey:
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			return enc, err
		}
		block = &pem.Block{Type: "EC PRIVATE KEY", Bytes: der}
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return enc, err
	}
	enc.privatePKCS8 = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))
	enc.privatePEM = enc.privatePKCS8
	if block != nil {
		enc.privatePEM = string(pem.EncodeToMemory(block))
	}

	spki, err := x509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		return enc, err
	}
	enc.publicPEM = string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki}))

	sshPub, err := ssh.NewPublicKey(key.Public())
	if err != nil {
		if isP224(key) {
			return enc, nil
		}
		return enc, err
	}
	enc.publicOpenSSH = string(ssh.MarshalAuthorizedKey(sshPub))
	enc.fingerprintMD5 = ssh.FingerprintLegacyMD5(sshPub)
	enc.fingerprintSHA256 = ssh.FingerprintSHA256(sshPub)
	sshPriv, err := ssh.MarshalPrivateKey(key, "")
	if err != nil {
		return enc, err
	}
	enc.privateOpenSSH = string(pem.EncodeToMemory(sshPriv))
	return enc, nil
}

func isP224(key crypto.Signer) bool {
	k, ok := key.(*ecdsa.PrivateKey)
	return ok && k.Curve == elliptic.P224()
}

// parsePrivateKey accepts the PEM forms upstream accepts for privateKeyPem inputs: PKCS#1,
// SEC1, PKCS#8 and OpenSSH. Encrypted keys are refused (there is no passphrase input).
func parsePrivateKey(text string) (crypto.Signer, error) {
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return nil, errors.New("no PEM block found")
	}
	var key any
	var err error
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "OPENSSH PRIVATE KEY":
		key, err = ssh.ParseRawPrivateKey([]byte(text))
	default:
		return nil, fmt.Errorf("unsupported PEM block %q: want a private key", block.Type)
	}
	if err != nil {
		return nil, err
	}
	// The OpenSSH parser hands back a pointer for Ed25519, everything else a value.
	if p, ok := key.(*ed25519.PrivateKey); ok {
		key = *p
	}
	signer, ok := key.(crypto.Signer)
	if !ok || algorithmOf(signer.Public()) == "" {
		return nil, fmt.Errorf("unsupported private key type %T", key)
	}
	return signer, nil
}

// algorithmOf names a public key's algorithm, or "" for one this provider does not handle.
func algorithmOf(pub crypto.PublicKey) string {
	switch pub.(type) {
	case *rsa.PublicKey:
		return algRSA
	case *ecdsa.PublicKey:
		return algECDSA
	case ed25519.PublicKey:
		return algED25519
	}
	return ""
}
