"""Fixtures of the `sam local` suite: the simulator and moto on loopback,
and the SAM CLI run on the functions `scripts/sam-local` built for x86_64.

Everything listens on 127.0.0.1; the Lambda containers share the host's
network (sam_host_network.py), so the functions reach the same addresses.
Readiness is always a polled condition with a deadline, never a sleep.

Environment (set by scripts/sam-local):
  SAM_LOCAL_TEMPLATE  the template `sam build` wrote (functions built x86_64)
  MALGOMO_SIM_BIN     the malgomo-sim binary
  MOTO_SERVER         the moto_server executable
  SAM_PYTHON          the python of the SAM CLI's venv (runs the launcher)
"""

import json
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EVENTS = ROOT / "events"
LAUNCHER = HERE / "sam_host_network.py"
# Local-only secrets: the deployed stack resolves these from Secrets Manager.
SESSION_KEY = "sam-local-session-key-0123456789abcdef0123456789"
TABLE = "malgomo-sam-local"
# Bounds of the polled waits (a cold container start under load included).
START_DEADLINE_S = 180
INVOKE_TIMEOUT_S = 180


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(what: str, ready, deadline_s: float, process=None):
    """Polls `ready()` until it is truthy; fails after `deadline_s` or when
    `process` exits first."""
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            value = ready()
            if value:
                return value
        except (requests.ConnectionError, requests.Timeout, OSError):
            pass
        if process is not None and process.poll() is not None:
            pytest.fail(f"{what}: the process exited with {process.returncode}")
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not ready within {deadline_s} s")
        time.sleep(0.2)


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set: run this suite through scripts/sam-local", returncode=2)
    return value


class Background:
    """A child process whose output goes to a log file under the test's tmp dir."""

    def __init__(self, args, log: Path, env=None):
        self.log = log
        self._file = log.open("wb")
        self.process = subprocess.Popen(
            args, stdout=self._file, stderr=subprocess.STDOUT, env=env, cwd=ROOT
        )

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._file.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(scope="session")
def sim(tmp_path_factory):
    """The MalGomo backend and Supabase simulator, both on one loopback port."""
    port = free_port()
    proc = Background(
        [_env("MALGOMO_SIM_BIN"), "--port", str(port)],
        tmp_path_factory.mktemp("sim") / "sim.log",
    )
    url = f"http://127.0.0.1:{port}"
    wait_until(
        "malgomo-sim",
        lambda: requests.get(f"{url}/_sim/counters", timeout=2).ok,
        30,
        proc.process,
    )
    yield url
    proc.stop()


def dynamodb(url: str, action: str, body: dict) -> requests.Response:
    """One DynamoDB JSON-protocol call (moto checks no signature)."""
    return requests.post(
        url,
        data=json.dumps(body),
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": f"DynamoDB_20120810.{action}",
            "Authorization": "AWS4-HMAC-SHA256 Credential=test/20261207/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
        },
        timeout=10,
    )


@pytest.fixture(scope="session")
def moto(tmp_path_factory):
    """A DynamoDB wire server on loopback with the app's table (key pk, TTL on ttl)."""
    port = free_port()
    proc = Background(
        [_env("MOTO_SERVER"), "-H", "127.0.0.1", "-p", str(port)],
        tmp_path_factory.mktemp("moto") / "moto.log",
    )
    url = f"http://127.0.0.1:{port}"
    wait_until("moto", lambda: requests.get(f"{url}/moto-api/", timeout=2).ok, 60, proc.process)
    created = dynamodb(
        url,
        "CreateTable",
        {
            "TableName": TABLE,
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    assert created.ok, created.text
    ttl = dynamodb(
        url,
        "UpdateTimeToLive",
        {"TableName": TABLE, "TimeToLiveSpecification": {"AttributeName": "ttl", "Enabled": True}},
    )
    assert ttl.ok, ttl.text
    yield url
    proc.stop()


def common_env(sim_url: str) -> dict:
    """What every function gets locally. ORIGIN_SECRET and SESSION_KEY are
    dynamic references in the template (resolved only by CloudFormation),
    so they must be given here; DYNAMODB_TABLE empty = the memory store."""
    return {
        "MALGOMO_API_BASE": sim_url,
        "SUPABASE_URL": sim_url,
        "SUPABASE_ANON_KEY": "demo-anon-key",
        "ORIGIN_SECRET": "",
        "SESSION_KEY": SESSION_KEY,
        "DYNAMODB_TABLE": "",
        "AWS_ENDPOINT_URL_DYNAMODB": "",
        "PUBLIC_URL": "",
        "RUST_LOG": "info",
    }


def sam_command(*args) -> list:
    return [
        _env("SAM_PYTHON"),
        str(LAUNCHER),
        *args,
        "--template-file",
        _env("SAM_LOCAL_TEMPLATE"),
        "--parameter-overrides",
        "Architecture=x86_64",
        "--skip-pull-image",
        "--docker-network",
        "host",
    ]


class Invoker:
    """`sam local invoke` of one function with one event."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.count = 0

    def __call__(self, function: str, event: dict, env: dict) -> dict:
        self.count += 1
        env_file = self.tmp / f"env-{self.count}.json"
        env_file.write_text(json.dumps({function: env}))
        event_file = self.tmp / f"event-{self.count}.json"
        event_file.write_text(json.dumps(event))
        done = subprocess.run(
            sam_command("local", "invoke", function, "--event", str(event_file), "--env-vars", str(env_file)),
            capture_output=True,
            text=True,
            timeout=INVOKE_TIMEOUT_S,
            cwd=ROOT,
        )
        assert done.returncode == 0, f"sam local invoke {function} failed:\n{done.stderr}"
        # stdout holds the function's response only (SAM logs to stderr).
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        assert lines, f"no response from {function}:\n{done.stderr}"
        try:
            return json.loads(lines[-1])
        except json.JSONDecodeError:
            pytest.fail(f"{function} answered no JSON:\n{done.stdout}\n{done.stderr}")


@pytest.fixture(scope="session")
def invoke(tmp_path_factory):
    return Invoker(tmp_path_factory.mktemp("invoke"))


def event(name: str) -> dict:
    return json.loads((EVENTS / f"{name}.json").read_text())
