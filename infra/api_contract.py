#!/usr/bin/env python3
"""Contract tests of the HTTP API: schemathesis, from docs/openapi.yaml, against
the local server (the same handler as the Lambda, tokens checked as API Gateway
does) on the emulator `infra/local_stack.py create` set up.

Fails on any 5xx answer and on any answer that does not match the spec.
Usage: infra/api_contract.py [--port 3999] [--max-examples 20]
"""

import argparse
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "infra"))
import local_stack  # noqa: E402  (same directory; reuses its token helper and paths)

# The fictional admin infra/tools/src/demo_admin.rs seeds (local emulator only).
EMAIL = "admin@transports-exemple.example"
PASSWORD = "Demo-Local-Only-1"


def wait_for_port(port: int, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"api-local exited early (code {server.returncode}); see .local/api-local.log")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"api-local did not listen on {port} within {seconds:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=3999)
    parser.add_argument("--max-examples", type=int, default=20)
    args = parser.parse_args()
    # The integration tests leave tens of thousands of items behind, and moto
    # copies the whole table for each transaction: on that table a vehicle
    # write took seconds and the emulator grew until the kernel killed it.
    local_stack.reset()
    local_stack.create()
    subprocess.run(["cargo", "build", "--quiet", "-p", "designa-tools", "--bin", "api-local"], cwd=ROOT, check=True)
    log = open(ROOT / ".local" / "api-local.log", "wb")
    server = subprocess.Popen([str(ROOT / "target" / "debug" / "api-local"), "--port", str(args.port)],
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(args.port, server)
        client = local_stack.client("cognito-idp")
        stack = json.loads(local_stack.STACK_FILE.read_text())
        token = client.initiate_auth(ClientId=stack["resources"]["UserPoolClient"], AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": EMAIL, "PASSWORD": PASSWORD})["AuthenticationResult"]["IdToken"]
        command = [str(ROOT / ".venv" / "bin" / "st"), "run", str(ROOT / "docs" / "openapi.yaml"),
                   "--url", f"http://127.0.0.1:{args.port}", "--header", f"Authorization: Bearer {token}",
                   "--checks", "not_a_server_error,response_schema_conformance",
                   "--max-examples", str(args.max_examples), "--generation-deterministic",
                   # A loaded two-core machine runs moto slowly; a slow answer is not a failure.
                   "--request-timeout", "60"]
        return subprocess.run(command, cwd=ROOT).returncode
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
