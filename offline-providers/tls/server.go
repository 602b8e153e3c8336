package main

import (
	"context"
	"encoding/json"
	"fmt"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// server implements the plugin-level RPCs; the per-resource ones are in lifecycle.go.
// Unimplemented is embedded so RPCs added to the protocol later answer "unimplemented", which
// the engine understands, instead of breaking the build.
type server struct {
	pulumirpc.UnimplementedResourceProviderServer
	version string
}

func newServer(version string) *server { return &server{version: version} }

// GetPluginInfo reports the stamped version; the engine refuses a plugin whose version differs
// from the one the SDK asked for.
func (s *server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: s.version}, nil
}

// Handshake declares that secrets may be sent to us as secrets: private keys then stay marked
// secret from the program through to the state. Engines that handshake also always send the
// preview flag to Create/Update, which lifecycle.go honours.
func (s *server) Handshake(context.Context, *pulumirpc.ProviderHandshakeRequest) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true}, nil
}

// The provider has no configuration that matters offline (upstream's only setting is an HTTP
// proxy for getCertificate), so config is accepted as given and never causes a diff.
func (s *server) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (s *server) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

// Configure repeats the capabilities for engines that did not handshake.
func (s *server) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true}, nil
}

// GetSchema returns a minimal schema (name and version only). Programs never need it: the npm
// SDK is already generated; this only keeps tools that ask from failing.
func (s *server) GetSchema(_ context.Context, req *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	if v := req.GetVersion(); v != 0 {
		return nil, fmt.Errorf("unsupported schema version %d", v)
	}
	b, err := json.Marshal(map[string]string{"name": "tls", "version": s.version})
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetSchemaResponse{Schema: string(b)}, nil
}

// Invoke covers upstream's getCertificate and getPublicKey functions, which are not part of
// this stand-in; say so plainly rather than with a bare "unimplemented".
func (s *server) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	return nil, fmt.Errorf("%s is not implemented by the offline tls provider (resources only)", req.GetTok())
}

// Cancel has nothing to interrupt: every operation is a short local computation.
func (s *server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// Attach is how the engine hands its address to a provider started in attach (debug) mode;
// this provider never calls back into the engine, so there is nothing to keep.
func (s *server) Attach(context.Context, *pulumirpc.PluginAttach) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
