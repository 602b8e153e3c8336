// The component provider's process: serves the package's components (every ComponentResource that
// components/index.ts exports: DockerHost, ...) to the Pulumi engine over gRPC, so that programs in any Pulumi
// language (YAML, Python...) can use them. Started by the executable plugin bin/pulumi-resource-docker-host.
import * as path from "node:path";
import { componentProviderHost, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import * as components from "../components";

/** The package as other languages see it: its name, its components, and the source the schema is read from. */
export const providerOptions = {
  components: getPulumiComponents(components),
  name: "docker-host",
  dirname: path.join(__dirname, ".."),
};

if (require.main === module) {
  void componentProviderHost(providerOptions);
}
