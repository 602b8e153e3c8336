// Command pulumi-resource-command is a Pulumi resource provider plugin for the
// command:remote:Command resource of the @pulumi/command SDK (property names of
// SDK 1.2.x). It exists because machines without internet access cannot download
// the upstream plugin, and its Go module is not served by the module proxy here;
// it is written from scratch and implements only what the remote Command needs.
//
// What it does: Check validates the inputs and fills the connection defaults;
// Diff asks for an update when a command, the environment, stdin, the
// connection, logging or addPreviousOutputInEnv changes, and for a replacement
// when triggers change; Create and Update dial the host over SSH (pinned host
// key, retries with back-off) and run `create` (or `update`) in a session,
// streaming its output to the engine log and storing it as stdout/stderr;
// Delete runs `delete` when it is set; Read returns the state unchanged.
//
// The engine starts it as `pulumi-resource-command [-tracing URL] ENGINE_ADDRESS`
// and it answers with the port of its gRPC server. `pulumi-resource-command
// -version` prints the version stamped at build time with
// -ldflags "-X main.version=1.2.1"; the plugin reports the same to the engine.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// providerName is the package name the engine and the SDK know the plugin by.
const providerName = "command"

// version is replaced at build time (-X main.version=...); the engine shows it
// and the plugin cache is keyed by it, so it must match the SDK's 1.2.1.
var version = "0.0.0-dev"

func main() {
	// Checked before provider.Main, which parses the engine's flags and would
	// reject one it does not know.
	if len(os.Args) == 2 && (os.Args[1] == "-version" || os.Args[1] == "--version") {
		fmt.Println(version)
		return
	}
	err := provider.Main(providerName, func(host *provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return newCommandProvider(host, version), nil
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-command: %v\n", err)
		os.Exit(1)
	}
}
