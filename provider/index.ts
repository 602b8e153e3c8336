// The component provider's process. Loading this module serves the provider: the executable plugin
// bin/pulumi-resource-docker-host runs it with node, and the Node.js language host runs this folder (as built in
// dist/provider, with PulumiPlugin.yaml) as a source plugin, requiring it from @pulumi/pulumi/cmd/run-plugin.
// Either way the engine's arguments follow the program name in process.argv.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { main } from "@pulumi/pulumi/provider";
import { DockerHostProvider } from "./provider";

void main(
  new DockerHostProvider(readFileSync(path.join(__dirname, "schema.json"), "utf8")),
  process.argv.slice(2),
);
