#!/usr/bin/env python3
"""The dependency rule, checked (make test runs this before the tests).

1. No crate under functions/ depends on another crate under functions/
   (normal, dev or build dependency): what two functions share lives in
   shared/. tests/ and infra/tools may depend on anything.
2. Inside shared/src, each top-level module uses only the modules below it:
   domain <- error <- ports <- {privacy, app} <- {aws, memory}
   (see LAYERS). Test code (after a `#[cfg(test)]` module) is not counted:
   tests may use the in-memory adapters.

Exits 1 and names every breach; prints one line when all is well.
"""

import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Which modules of the shared crate each module may use. A module missing
# here is refused: place a new one consciously.
FOUNDATION = {"domain", "error", "env", "logging", "exchange"}
PORTS = FOUNDATION | {"store", "ports", "excel", "fleet"}
APPLICATION = PORTS | {"privacy", "answering", "invitation", "notifications", "app"}
LAYERS = {
    "domain": set(),
    "error": set(),
    "env": set(),
    "logging": set(),
    "exchange": {"domain"},
    "store": {"domain"},
    # The table's schema (item shapes, keys): the adapters' business only.
    "table": {"domain", "store"},
    "ports": {"domain", "error", "store"},
    "excel": {"domain", "store"},
    "fleet": {"domain", "excel", "store"},
    "privacy": {"domain", "error", "ports", "store"},
    "answering": PORTS | {"privacy"},
    "invitation": PORTS,
    "notifications": PORTS,
    "app": APPLICATION,
    "aws": APPLICATION | {"aws", "table"},
    "memory": APPLICATION | {"memory", "table"},
}

TEST_MODULE = re.compile(r"^\s*#\[cfg\(test\)\]\s*$")
CRATE_PATH = re.compile(r"\bcrate::([a-z_]+)")
CRATE_GROUP = re.compile(r"\bcrate::\{([^}]*)")


def crate_modules(line):
    """The shared modules a line names: `crate::x::…` and `crate::{x::…, y}`."""
    used = CRATE_PATH.findall(line)
    for group in CRATE_GROUP.findall(line):
        used += [item.strip().split("::")[0] for item in group.split(",") if item.strip()]
    return used


def function_crate_breaches(metadata):
    functions_dir = os.path.join(ROOT, "functions") + os.sep
    functions = {
        p["name"] for p in metadata["packages"] if p["manifest_path"].startswith(functions_dir)
    }
    breaches = []
    for package in metadata["packages"]:
        if package["name"] not in functions:
            continue
        for dep in package["dependencies"]:
            if dep["name"] in functions and dep["name"] != package["name"]:
                kind = dep.get("kind") or "normal"
                breaches.append(
                    f"functions: {package['name']} depends on {dep['name']} ({kind}); "
                    "move what they share into shared/"
                )
    return breaches


def production_code(path):
    """The file's lines up to its test module."""
    lines = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if TEST_MODULE.match(line):
                break
            lines.append(line)
    return lines


def module_files(src):
    """(top-level module, file) for every .rs file of the shared crate."""
    for entry in sorted(os.listdir(src)):
        path = os.path.join(src, entry)
        if entry in ("lib.rs",):
            continue
        if os.path.isdir(path):
            for folder, _, files in os.walk(path):
                for name in sorted(files):
                    if name.endswith(".rs"):
                        yield entry, os.path.join(folder, name)
        elif entry.endswith(".rs"):
            yield entry[:-3], path


def shared_layer_breaches():
    src = os.path.join(ROOT, "shared", "src")
    breaches = []
    for module, path in module_files(src):
        allowed = LAYERS.get(module)
        relative = os.path.relpath(path, ROOT)
        if allowed is None:
            breaches.append(f"shared: {relative}: module `{module}` has no place in LAYERS")
            continue
        for number, line in enumerate(production_code(path), start=1):
            if line.lstrip().startswith("//"):
                continue
            for used in crate_modules(line):
                if used != module and used not in allowed:
                    breaches.append(
                        f"shared: {relative}:{number}: `{module}` uses `crate::{used}`, "
                        f"which is not below it"
                    )
    return breaches


def main():
    metadata = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--no-deps", "--format-version", "1", "--offline"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    breaches = function_crate_breaches(metadata) + shared_layer_breaches()
    for breach in breaches:
        print(f"layering: {breach}", file=sys.stderr)
    if breaches:
        print(f"layering: {len(breaches)} breach(es) of the dependency rule "
              "(docs/architecture.md)", file=sys.stderr)
        return 1
    print("layering: function crates depend on shared only; shared's modules respect "
          "domain <- error <- ports <- {privacy, app} <- {aws, memory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
