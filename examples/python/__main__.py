"""A DockerHost on a machine that already exists, from Python, with the generated SDK pulumi_docker_host."""

import pulumi
import pulumi_docker_host as docker_host

config = pulumi.Config()

host = docker_host.DockerHost(
    "web",
    existing=docker_host.ExistingMachineArgsArgs(
        host=config.require("host"),
        port=config.get_int("sshPort") or 22,
        private_key=config.require_secret("privateKey"),
        host_key=config.require("hostKey"),
        cleanup_on_delete=True,
    ),
    engine=docker_host.EngineArgsArgs(
        install_method=docker_host.EngineInstallMethod.DISTRO,
        labels={"language": "python"},
    ),
)

pulumi.export("dockerHost", host.docker_host)
pulumi.export("engineVersion", host.engine_version)
pulumi.export("caCert", host.ca_cert)
pulumi.export("clientCert", host.client_cert)
pulumi.export("clientKey", host.client_key)
