"""Runs the SAM CLI with its Lambda containers on the host's network.

Why: the functions must reach the simulator and moto on 127.0.0.1, and no
test traffic may leave loopback. SAM CLI 1.170 creates every Lambda
container on Docker's default bridge with the emulator's port 8080 published
on 127.0.0.1:<random port>; `--docker-network host` does not change that (it
only skips connecting the container to a second network), and inside a
bridge network 127.0.0.1 is the container itself.

So this wraps the one Docker SDK call SAM makes to create a Lambda container
(docker-py's ``ContainerCollection.create``, a public API): the container
gets ``network_mode="host"`` instead of published ports, and the runtime
interface emulator is told to listen where SAM will look for it,
127.0.0.1:<that port>, with its Runtime API on another free loopback port
(every container shares the host's ports now, so the default 9001 would
collide between warm containers). Everything else is SAM's own code.

Usage: python sam_host_network.py <sam arguments...>
"""

import socket
import sys

from docker.models.containers import ContainerCollection
from samcli.cli.main import cli

RIE_PORT = "8080"
_create = ContainerCollection.create


def _free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _create_on_host_network(self, image, command=None, **kwargs):
    labels = kwargs.get("labels") or {}
    if labels.get("sam.cli.container.type") == "lambda":
        ports = kwargs.pop("ports", None) or {}
        if RIE_PORT not in ports or not kwargs.get("entrypoint"):
            raise RuntimeError(f"unexpected Lambda container options from SAM: {sorted(kwargs)}")
        interface, port = ports[RIE_PORT]
        kwargs["network_mode"] = "host"
        kwargs["entrypoint"] = list(kwargs["entrypoint"]) + [
            "--runtime-interface-emulator-address",
            f"{interface}:{port}",
            "--runtime-api-address",
            f"127.0.0.1:{_free_loopback_port()}",
        ]
    return _create(self, image, command, **kwargs)


ContainerCollection.create = _create_on_host_network

if __name__ == "__main__":
    sys.argv[0] = "sam"
    sys.exit(cli())
