// Command pulumi-resource-tls is an offline, from-scratch Pulumi resource provider plugin that
// stands in for the official pulumi-tls provider when that provider cannot be fetched.
//
// It speaks the engine's gRPC provider protocol directly and is property-compatible with the
// @pulumi/tls 5.6.1 npm SDK for four resource types:
//
//	tls:index/privateKey:PrivateKey
//	tls:index/selfSignedCert:SelfSignedCert
//	tls:index/certRequest:CertRequest
//	tls:index/locallySignedCert:LocallySignedCert
//
// All keys and certificates are produced with Go's standard crypto packages plus
// golang.org/x/crypto/ssh for the OpenSSH encodings. The resources are logical: they live only
// in the Pulumi state, so Read echoes the state and Delete does nothing. Invokes
// (getCertificate, getPublicKey) are not implemented.
//
// Behaviour the engine sees: Check fills defaults (rsaBits 2048, ecdsaCurve P224, false/0 for
// the certificate flags) and validates; Diff replaces on any input change except a
// certificate's earlyRenewalHours, which updates in place, and also replaces a certificate
// whose renewal window has been reached (readyForRenewal); private-key outputs are secrets.
//
// Known differences from upstream: resource IDs are this provider's own (SHA-256 of the public
// key or CSR, the serial for certificates); the *Wo ("write-only") key inputs are accepted but
// Pulumi still records every input in the state, so they only stay out of the outputs; a CA
// always gets a subject key identifier, computed with RFC 5280 method 1 (SHA-1).
//
// The engine only loads a plugin whose reported version matches the SDK's exactly, so the
// version is stamped at build time:
//
//	CGO_ENABLED=0 go build -mod=mod -trimpath -ldflags "-s -w -X main.version=5.6.1" -o OUT .
//
// Install the result with `pulumi plugin install resource tls 5.6.1 --file OUT`.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is overwritten by -ldflags "-X main.version=..."; the default marks an unstamped build.
var version = "0.0.0-dev"

func main() {
	// provider.Main owns flag parsing (it parses the engine's --tracing/-v flags and the
	// engine address), so -version is picked out by hand before handing over.
	for _, arg := range os.Args[1:] {
		if arg == "-version" || arg == "--version" {
			fmt.Println(version)
			return
		}
	}
	err := provider.Main("tls", func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return newServer(version), nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
