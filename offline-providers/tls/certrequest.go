package main

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// CertRequest makes a PKCS#10 certificate signing request for a key, subject and SANs.
var _ = register(&kind{
	token: "tls:index/certRequest:CertRequest",
	inputs: []string{
		"privateKeyPem", "privateKeyPemWo", "privateKeyPemWoVersion", "subject",
		"dnsNames", "ipAddresses", "uris",
	},
	writeOnly: []string{"privateKeyPemWo"},
	outputs:   []string{"certRequestPem", "keyAlgorithm"},
	validate: func(p props) []failure {
		c := checker{p: p}
		c.privateKey("privateKeyPem", "privateKeyPemWo")
		c.subject("subject")
		c.sans()
		return c.fails
	},
	create: createCertRequest,
})

func createCertRequest(p props, _ time.Time) (string, resource.PropertyMap, error) {
	r := reader{p: p}
	keyPEM := r.str("privateKeyPem") + r.str("privateKeyPemWo") // Check allows exactly one
	subject := r.object("subject")
	names, namesErr := parseSANs(r.strList("dnsNames"), r.strList("ipAddresses"), r.strList("uris"))
	r.keep(namesErr)
	if r.err != nil {
		return "", nil, r.err
	}

	key, err := parsePrivateKey(keyPEM)
	if err != nil {
		return "", nil, fmt.Errorf("privateKeyPem: %w", err)
	}
	name, err := subjectName(subject)
	if err != nil {
		return "", nil, fmt.Errorf("subject: %w", err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject:     name,
		DNSNames:    names.dns,
		IPAddresses: names.ips,
		URIs:        names.uris,
	}, key)
	if err != nil {
		return "", nil, fmt.Errorf("signing the request: %w", err)
	}
	// The ID only has to be unique and stable; the request's SHA-256 is both.
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:]), resource.PropertyMap{
		"certRequestPem": str(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))),
		"keyAlgorithm":   str(algorithmOf(key.Public())),
	}, nil
}
