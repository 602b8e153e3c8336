package main

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// LocallySignedCert issues a certificate for a CSR, signed by a CA certificate and its key.
var _ = register(&kind{
	token: "tls:index/locallySignedCert:LocallySignedCert",
	inputs: []string{
		"certRequestPem", "caCertPem", "caPrivateKeyPem", "caPrivateKeyPemWo", "caPrivateKeyPemWoVersion",
		"validityPeriodHours", "earlyRenewalHours", "allowedUses", "isCaCertificate", "maxPathLength",
		"setSubjectKeyId",
	},
	writeOnly: []string{"caPrivateKeyPemWo"},
	inPlace:   earlyRenewalInPlace,
	outputs:   append([]string{"caKeyAlgorithm"}, certKindOutputs...),
	defaults: resource.PropertyMap{
		"earlyRenewalHours": number(0), "isCaCertificate": boolean(false), "maxPathLength": number(0),
		"setSubjectKeyId": boolean(false),
	},
	validate: func(p props) []failure {
		c := checker{p: p}
		c.str("certRequestPem", true)
		c.str("caCertPem", true)
		c.privateKey("caPrivateKeyPem", "caPrivateKeyPemWo")
		c.certSpec()
		return c.fails
	},
	create:  createLocallySignedCert,
	renewal: certRenewal,
})

func createLocallySignedCert(p props, at time.Time) (string, resource.PropertyMap, error) {
	r := reader{p: p}
	csrPEM, caPEM := r.str("certRequestPem"), r.str("caCertPem")
	caKeyPEM := r.str("caPrivateKeyPem") + r.str("caPrivateKeyPemWo") // Check allows exactly one
	spec := readCertSpec(&r)
	if r.err != nil {
		return "", nil, r.err
	}

	csr, err := parseCSRPEM(csrPEM)
	if err != nil {
		return "", nil, fmt.Errorf("certRequestPem: %w", err)
	}
	ca, err := parseCertPEM(caPEM)
	if err != nil {
		return "", nil, fmt.Errorf("caCertPem: %w", err)
	}
	caKey, err := parsePrivateKey(caKeyPEM)
	if err != nil {
		return "", nil, fmt.Errorf("caPrivateKeyPem: %w", err)
	}
	// Catch a mismatched pair here, with a clear message, rather than issue a certificate
	// that no client could verify.
	if pub, ok := caKey.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !pub.Equal(ca.PublicKey) {
		return "", nil, errors.New("caPrivateKeyPem is not the key of caCertPem")
	}

	t, err := spec.template(at, csr.PublicKey)
	if err != nil {
		return "", nil, err
	}
	// The subject is copied byte for byte, the SANs as parsed: the CSR is the request.
	t.RawSubject = csr.RawSubject
	t.DNSNames, t.IPAddresses, t.URIs, t.EmailAddresses = csr.DNSNames, csr.IPAddresses, csr.URIs, csr.EmailAddresses
	// crypto/x509 takes the authority key identifier from the CA's subject key identifier; a
	// CA certificate without one gets it computed from its key, so chains can still be built.
	if len(ca.SubjectKeyId) == 0 {
		if t.AuthorityKeyId, err = keyID(ca.PublicKey); err != nil {
			return "", nil, err
		}
	}

	der, err := x509.CreateCertificate(rand.Reader, t, ca, csr.PublicKey, caKey)
	if err != nil {
		return "", nil, fmt.Errorf("signing the certificate: %w", err)
	}
	outs := certOutputs(der, t, spec.earlyHours, at)
	outs["caKeyAlgorithm"] = str(algorithmOf(caKey.Public()))
	return t.SerialNumber.String(), outs, nil
}
