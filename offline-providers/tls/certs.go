package main

import (
	"crypto"
	"crypto/rand"
	"crypto/sha1" // #nosec G505 -- RFC 5280 4.2.1.2 method (1) defines key identifiers as SHA-1
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// oidEmailAddress is the PKCS#9 emailAddress attribute that upstream's subject.emailAddress sets.
var oidEmailAddress = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}

// subjectName builds the distinguished name from a subject object (as read from the inputs).
func subjectName(s props) (pkix.Name, error) {
	r := reader{p: s}
	one := func(key string) []string {
		if v := r.str(key); v != "" {
			return []string{v}
		}
		return nil
	}
	name := pkix.Name{
		CommonName:         r.str("commonName"),
		SerialNumber:       r.str("serialNumber"),
		Organization:       one("organization"),
		OrganizationalUnit: one("organizationalUnit"),
		StreetAddress:      r.strList("streetAddresses"),
		Locality:           one("locality"),
		Province:           one("province"),
		Country:            one("country"),
		PostalCode:         one("postalCode"),
	}
	if email := r.str("emailAddress"); email != "" {
		// RFC 5280 wants IA5String here; a plain Go string would be encoded as UTF8String.
		name.ExtraNames = append(name.ExtraNames, pkix.AttributeTypeAndValue{
			Type:  oidEmailAddress,
			Value: asn1.RawValue{Tag: asn1.TagIA5String, Bytes: []byte(email)},
		})
	}
	return name, r.err
}

// sans holds the subject alternative names from dnsNames, ipAddresses and uris.
type sans struct {
	dns  []string
	ips  []net.IP
	uris []*url.URL
}

func parseSANs(dns, ips, uris []string) (sans, error) {
	out := sans{dns: dns}
	for _, s := range ips {
		ip := net.ParseIP(s)
		if ip == nil {
			return out, fmt.Errorf("invalid IP address %q", s)
		}
		out.ips = append(out.ips, ip)
	}
	for _, s := range uris {
		u, err := url.Parse(s)
		if err != nil {
			return out, fmt.Errorf("invalid URI %q: %w", s, err)
		}
		out.uris = append(out.uris, u)
	}
	return out, nil
}

// certSpec is what SelfSignedCert and LocallySignedCert have in common.
type certSpec struct {
	validityHours int64
	earlyHours    int64
	isCA          bool
	maxPathLength int64
	uses          []string
	setSKID       bool
}

func readCertSpec(r *reader) certSpec {
	return certSpec{
		validityHours: r.integer("validityPeriodHours"),
		earlyHours:    r.integer("earlyRenewalHours"),
		isCA:          r.boolean("isCaCertificate"),
		maxPathLength: r.integer("maxPathLength"),
		uses:          r.strList("allowedUses"),
		setSKID:       r.boolean("setSubjectKeyId"),
	}
}

// template starts a certificate for the given subject public key: a random 128-bit serial,
// validity from now (whole seconds, as the certificate encodes them), usages and basic
// constraints. A CA always gets a subject key identifier (Go would add one anyway), computed
// here so that it is the same method whether or not setSubjectKeyId asked for it.
func (c certSpec) template(start time.Time, pub crypto.PublicKey) (*x509.Certificate, error) {
	ku, eku, err := parseUses(c.uses)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, err
	}
	start = start.UTC().Truncate(time.Second)
	t := &x509.Certificate{
		SerialNumber:          serial,
		NotBefore:             start,
		NotAfter:              start.Add(time.Duration(c.validityHours) * time.Hour),
		KeyUsage:              ku,
		ExtKeyUsage:           eku,
		BasicConstraintsValid: true,
		IsCA:                  c.isCA,
	}
	if c.isCA && c.maxPathLength > 0 {
		t.MaxPathLen = int(c.maxPathLength) // 0 means "no limit", as upstream documents
	}
	if c.setSKID || c.isCA {
		if t.SubjectKeyId, err = keyID(pub); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// keyID is the RFC 5280 4.2.1.2 method (1) key identifier: SHA-1 of the subjectPublicKey bits.
func keyID(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil, err
	}
	sum := sha1.Sum(spki.PublicKey.Bytes) // #nosec G401 -- an identifier, not a signature
	return sum[:], nil
}

// certOutputs are the outputs both certificate resources compute from the signed certificate.
func certOutputs(der []byte, t *x509.Certificate, earlyHours int64, at time.Time) resource.PropertyMap {
	return resource.PropertyMap{
		"certPem":           str(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))),
		"validityStartTime": str(t.NotBefore.Format(time.RFC3339)),
		"validityEndTime":   str(t.NotAfter.Format(time.RFC3339)),
		"readyForRenewal":   boolean(renewalDue(t.NotAfter, earlyHours, at)),
	}
}

// renewalDue is upstream's readyForRenewal: expired, or inside the early renewal window.
func renewalDue(end time.Time, earlyHours int64, at time.Time) bool {
	return !at.Before(end.Add(-time.Duration(earlyHours) * time.Hour))
}

// certRenewal is the kind.renewal of both certificate resources: it reads the stored end time
// and the (possibly just updated) earlyRenewalHours.
func certRenewal(state props, at time.Time) (bool, error) {
	r := reader{p: state}
	end, early := r.str("validityEndTime"), r.integer("earlyRenewalHours")
	if r.err != nil {
		return false, r.err
	}
	t, err := time.Parse(time.RFC3339, end)
	if err != nil {
		return false, fmt.Errorf("validityEndTime: %w", err)
	}
	return renewalDue(t, early, at), nil
}

// parseCertPEM and parseCSRPEM read the first PEM block of the expected type.
func parseCertPEM(text string) (*x509.Certificate, error) {
	block, _ := pem.Decode([]byte(text))
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New("want a PEM \"CERTIFICATE\" block")
	}
	return x509.ParseCertificate(block.Bytes)
}

func parseCSRPEM(text string) (*x509.CertificateRequest, error) {
	block, _ := pem.Decode([]byte(text))
	if block == nil || block.Type != "CERTIFICATE REQUEST" {
		return nil, errors.New("want a PEM \"CERTIFICATE REQUEST\" block")
	}
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		return nil, err
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, fmt.Errorf("signature does not verify: %w", err)
	}
	return csr, nil
}
