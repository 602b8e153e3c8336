package main

import (
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// certKindOutputs are the computed outputs of both certificate resources.
var certKindOutputs = []string{"certPem", "validityStartTime", "validityEndTime", "readyForRenewal"}

// earlyRenewalInPlace: like upstream, changing earlyRenewalHours only moves the renewal window
// (readyForRenewal is recomputed); it does not reissue the certificate by itself.
var earlyRenewalInPlace = map[string]bool{"earlyRenewalHours": true}

// SelfSignedCert signs a certificate with its own key.
var _ = register(&kind{
	token: "tls:index/selfSignedCert:SelfSignedCert",
	inputs: []string{
		"privateKeyPem", "privateKeyPemWo", "privateKeyPemWoVersion", "subject", "validityPeriodHours",
		"earlyRenewalHours", "isCaCertificate", "maxPathLength", "allowedUses", "dnsNames",
		"ipAddresses", "uris", "setSubjectKeyId", "setAuthorityKeyId",
	},
	writeOnly: []string{"privateKeyPemWo"},
	inPlace:   earlyRenewalInPlace,
	outputs:   append([]string{"keyAlgorithm"}, certKindOutputs...),
	defaults: resource.PropertyMap{
		"earlyRenewalHours": number(0), "isCaCertificate": boolean(false), "maxPathLength": number(0),
		"setSubjectKeyId": boolean(false), "setAuthorityKeyId": boolean(false),
	},
	validate: func(p props) []failure {
		c := checker{p: p}
		c.privateKey("privateKeyPem", "privateKeyPemWo")
		c.subject("subject")
		c.sans()
		c.certSpec()
		c.boolean("setAuthorityKeyId")
		return c.fails
	},
	create:  createSelfSignedCert,
	renewal: certRenewal,
})

func createSelfSignedCert(p props, at time.Time) (string, resource.PropertyMap, error) {
	r := reader{p: p}
	keyPEM := r.str("privateKeyPem") + r.str("privateKeyPemWo") // Check allows exactly one
	subject := r.object("subject")
	spec := readCertSpec(&r)
	names, namesErr := parseSANs(r.strList("dnsNames"), r.strList("ipAddresses"), r.strList("uris"))
	setAKID := r.boolean("setAuthorityKeyId")
	r.keep(namesErr)
	if r.err != nil {
		return "", nil, r.err
	}

	key, err := parsePrivateKey(keyPEM)
	if err != nil {
		return "", nil, fmt.Errorf("privateKeyPem: %w", err)
	}
	t, err := spec.template(at, key.Public())
	if err != nil {
		return "", nil, err
	}
	if t.Subject, err = subjectName(subject); err != nil {
		return "", nil, fmt.Errorf("subject: %w", err)
	}
	t.DNSNames, t.IPAddresses, t.URIs = names.dns, names.ips, names.uris
	if setAKID {
		// Self-signed: the authority is the subject itself, so both identifiers are equal.
		if t.AuthorityKeyId, err = keyID(key.Public()); err != nil {
			return "", nil, err
		}
	}

	der, err := x509.CreateCertificate(rand.Reader, t, t, key.Public(), key)
	if err != nil {
		return "", nil, fmt.Errorf("signing the certificate: %w", err)
	}
	outs := certOutputs(der, t, spec.earlyHours, at)
	outs["keyAlgorithm"] = str(algorithmOf(key.Public()))
	// The serial is random and 128 bits long, so it doubles as a unique ID, as upstream uses it.
	return t.SerialNumber.String(), outs, nil
}
