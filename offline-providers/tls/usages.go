package main

import (
	"crypto/x509"
	"fmt"
	"sort"
	"strings"
)

// keyUsages and extKeyUsages map upstream's allowedUses values (RFC 5280 key usages and
// extended key usages, snake_case as the Terraform provider spells them) to crypto/x509.
var keyUsages = map[string]x509.KeyUsage{
	"digital_signature":  x509.KeyUsageDigitalSignature,
	"content_commitment": x509.KeyUsageContentCommitment,
	"key_encipherment":   x509.KeyUsageKeyEncipherment,
	"data_encipherment":  x509.KeyUsageDataEncipherment,
	"key_agreement":      x509.KeyUsageKeyAgreement,
	"cert_signing":       x509.KeyUsageCertSign,
	"crl_signing":        x509.KeyUsageCRLSign,
	"encipher_only":      x509.KeyUsageEncipherOnly,
	"decipher_only":      x509.KeyUsageDecipherOnly,
}

var extKeyUsages = map[string]x509.ExtKeyUsage{
	"any_extended":                      x509.ExtKeyUsageAny,
	"server_auth":                       x509.ExtKeyUsageServerAuth,
	"client_auth":                       x509.ExtKeyUsageClientAuth,
	"code_signing":                      x509.ExtKeyUsageCodeSigning,
	"email_protection":                  x509.ExtKeyUsageEmailProtection,
	"ipsec_end_system":                  x509.ExtKeyUsageIPSECEndSystem,
	"ipsec_tunnel":                      x509.ExtKeyUsageIPSECTunnel,
	"ipsec_user":                        x509.ExtKeyUsageIPSECUser,
	"timestamping":                      x509.ExtKeyUsageTimeStamping,
	"ocsp_signing":                      x509.ExtKeyUsageOCSPSigning,
	"microsoft_server_gated_crypto":     x509.ExtKeyUsageMicrosoftServerGatedCrypto,
	"netscape_server_gated_crypto":      x509.ExtKeyUsageNetscapeServerGatedCrypto,
	"microsoft_commercial_code_signing": x509.ExtKeyUsageMicrosoftCommercialCodeSigning,
	"microsoft_kernel_code_signing":     x509.ExtKeyUsageMicrosoftKernelCodeSigning,
}

// parseUses turns allowedUses into x509 key usages. Unknown values are an error naming the
// accepted ones. The npm SDK's doc comments list the values in camelCase (a doc-generation
// artefact; upstream accepts only snake_case), so a camelCase value gets a "did you mean".
func parseUses(uses []string) (x509.KeyUsage, []x509.ExtKeyUsage, error) {
	var ku x509.KeyUsage
	var eku []x509.ExtKeyUsage
	for _, use := range uses {
		if u, ok := keyUsages[use]; ok {
			ku |= u
		} else if e, ok := extKeyUsages[use]; ok {
			eku = append(eku, e)
		} else {
			hint := ""
			if s := snakeCase(use); s != use && validUse(s) {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			return 0, nil, fmt.Errorf("unknown allowed use %q%s; accepted values: %s",
				use, hint, strings.Join(acceptedUses(), ", "))
		}
	}
	return ku, eku, nil
}

func validUse(use string) bool {
	_, ku := keyUsages[use]
	_, eku := extKeyUsages[use]
	return ku || eku
}

func acceptedUses() []string {
	out := make([]string, 0, len(keyUsages)+len(extKeyUsages))
	for u := range keyUsages {
		out = append(out, u)
	}
	for u := range extKeyUsages {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

func snakeCase(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
