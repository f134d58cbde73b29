#!/usr/bin/env python3
"""Checks template.yaml after SAM's transform for what `sam validate --lint`
lets through: a dependency cycle between resources (CloudFormation refuses
the stack at deploy time). Prints the cycle and fails when there is one."""

import re
import sys
from pathlib import Path

from cfnlint.decode import cfn_yaml
from samtranslator.translator.transform import transform

ROOT = Path(__file__).resolve().parent.parent


class NoManagedPolicies:
    def load(self):
        return {}


def references(value, found: set) -> set:
    if isinstance(value, dict):
        for key, arg in value.items():
            if key == "Ref" and isinstance(arg, str):
                found.add(arg)
            elif key == "Fn::GetAtt":
                found.add(arg[0] if isinstance(arg, list) else arg.split(".")[0])
            elif key == "Fn::Sub":
                text = arg if isinstance(arg, str) else arg[0]
                found.update(re.findall(r"\$\{([A-Za-z0-9]+)", text))
                references(arg, found)
            else:
                references(arg, found)
    elif isinstance(value, list):
        for item in value:
            references(item, found)
    return found


def graph(resources: dict) -> dict:
    edges = {}
    for name, spec in resources.items():
        depends = spec.get("DependsOn", [])
        depends = set(depends if isinstance(depends, list) else [depends])
        edges[name] = {d for d in references(spec, set()) | depends if d in resources and d != name}
    return edges


def find_cycle(edges: dict) -> list | None:
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(edges):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "template.yaml"
    template = cfn_yaml.load(str(path))
    # The transform wants S3 code locations; the build's paths do not matter here.
    for spec in template["Resources"].values():
        if spec.get("Type") == "AWS::Serverless::Function":
            spec["Properties"]["CodeUri"] = "s3://build/code.zip"
    transformed = transform(template, {}, NoManagedPolicies())
    cycle = find_cycle(graph(transformed["Resources"]))
    if cycle:
        print(f"{path.name}: dependency cycle: " + " -> ".join(cycle))
        return 1
    print(f"{path.name}: {len(transformed['Resources'])} resources, no dependency cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
