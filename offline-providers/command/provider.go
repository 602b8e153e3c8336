package main

import (
	"context"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// commandProvider serves the engine's gRPC calls. The resource calls (Check,
// Diff, Create, Update, Delete) are in resource.go; this file holds the
// plugin-level calls that every provider must answer.
type commandProvider struct {
	pulumirpc.UnimplementedResourceProviderServer

	// host is the engine's callback channel for log messages; nil when the
	// plugin runs in attach mode (started by hand for debugging).
	host    *provider.HostClient
	version string

	// stopAll ends every running operation when the engine calls Cancel (the
	// user pressed Ctrl-C): remote commands are signalled and connections closed.
	stopCtx context.Context
	stopAll context.CancelFunc
}

func newCommandProvider(host *provider.HostClient, version string) *commandProvider {
	ctx, cancel := context.WithCancel(context.Background())
	return &commandProvider{host: host, version: version, stopCtx: ctx, stopAll: cancel}
}

func (p *commandProvider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: p.version}, nil
}

// Handshake tells the engine which value kinds we understand. Secrets must be
// accepted so that secret inputs reach us marked as such and we can keep them
// secret in the outputs (otherwise the engine would guess from the inputs).
func (p *commandProvider) Handshake(
	context.Context, *pulumirpc.ProviderHandshakeRequest,
) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true, AcceptResources: true}, nil
}

// The provider has no configuration of its own: its inputs pass through and
// never differ in a way that matters.
func (p *commandProvider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *commandProvider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

// Configure repeats the Handshake's answers for engines that skip the
// handshake, and says we support previews (Create/Update with preview=true
// return the inputs with unknown stdout/stderr).
func (p *commandProvider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, AcceptResources: true, SupportsPreview: true}, nil
}

// Cancel is the engine's request to stop all work soon (Ctrl-C or a failed
// step elsewhere); later calls to the plugin are not expected.
func (p *commandProvider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	p.stopAll()
	return &emptypb.Empty{}, nil
}

// Read is a refresh: a command has nothing on the host that could be read
// back, so the stored state is the truth (as upstream).
func (p *commandProvider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

// operationContext bounds one Create/Update/Delete: it ends when the engine's
// call ends, when Cancel is called, or when the resource's custom timeout for
// the operation (sent as seconds, 0 = none) runs out.
func (p *commandProvider) operationContext(ctx context.Context, timeoutSeconds float64) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(p.stopCtx, cancel)
	if timeoutSeconds <= 0 {
		return ctx, func() { stop(); cancel() }
	}
	timeout := time.Duration(timeoutSeconds * float64(time.Second))
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	return ctx, func() { cancelTimeout(); stop(); cancel() }
}

// log sends one message to the engine, shown with the resource in the CLI.
// Failures are ignored: losing a log line must not fail the operation.
func (p *commandProvider) log(ctx context.Context, sev diag.Severity, urn resource.URN, msg string) {
	if p.host != nil {
		_ = p.host.Log(ctx, sev, urn, msg)
	}
}

// status shows a transient message (e.g. "waiting for SSH") next to the
// resource in the progress display; it does not stay in the output.
func (p *commandProvider) status(ctx context.Context, urn resource.URN, msg string) {
	if p.host != nil {
		_ = p.host.LogStatus(ctx, diag.Info, urn, msg)
	}
}
