#!/usr/bin/env python3
"""End-to-end tests of the web app: on the running emulator, a fresh stack
with `make app`'s demo data (infra/tools/src/bin/app-seed.rs), the built app
and the API served by api-local, then web/e2e/run.mjs in headless Chromium;
with --measure, web/e2e/measure.mjs instead (how fast the dashboard is ready).

Usage: infra/web_e2e.py [--port 3998] [--measure]   (the emulator must be started)
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "infra"))
import local_stack  # noqa: E402  (same directory)
from api_contract import wait_for_port  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=3998)
    parser.add_argument("--measure", action="store_true", help="measure the dashboard instead of testing")
    args = parser.parse_args()
    # The other tests leave their data behind: start from an empty stack.
    local_stack.reset()
    local_stack.create()
    cargo = ["cargo", "build", "--quiet", "-p", "designa-tools", "--bin", "app-seed", "--bin", "api-local"]
    subprocess.run(cargo, cwd=ROOT, check=True)
    subprocess.run([str(ROOT / "target" / "debug" / "app-seed")], cwd=ROOT, check=True)
    log = open(ROOT / ".local" / "web-server.log", "wb")
    server = subprocess.Popen(
        [str(ROOT / "target" / "debug" / "api-local"), "--port", str(args.port), "--app", "web/dist"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(args.port, server)
        env = {**os.environ, "APP_URL": f"http://127.0.0.1:{args.port}"}
        script = "measure" if args.measure else "e2e"
        return subprocess.run(["npm", "run", "--silent", script], cwd=ROOT / "web", env=env).returncode
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
