#!/usr/bin/env python3
"""Publishes the built web app (web/dist) to a deployed stack: its
config.json from the stack's outputs, the assets to the web bucket with
their cache rules, then a CloudFront invalidation of what is not
content-hashed. Run after `sam deploy` (docs/operations.md):

    make web && .venv/bin/python infra/publish_web.py --stack designa-prod
"""

import argparse
import json
import mimetypes
import time
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "web" / "dist"
# Vite names these by content hash: cache them for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
# index.html and config.json change in place: always revalidate.
REVALIDATE = "no-cache"


def outputs(stack: str, region: str) -> dict:
    described = boto3.client("cloudformation", region_name=region).describe_stacks(StackName=stack)
    return {o["OutputKey"]: o["OutputValue"] for o in described["Stacks"][0]["Outputs"]}


def config(out: dict, region: str) -> bytes:
    return json.dumps({
        "api_url": out["ApiUrl"],
        "cognito_url": f"https://cognito-idp.{region}.amazonaws.com/",
        "client_id": out["UserPoolClientId"],
    }, indent=2).encode()


def upload(s3, bucket: str, key: str, body: bytes, cache: str) -> None:
    kind = mimetypes.guess_type(key)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
        kind += "; charset=utf-8"
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=kind, CacheControl=cache)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--region", default="eu-west-3")
    args = parser.parse_args()
    if not (DIST / "index.html").exists():
        raise SystemExit("web/dist/index.html is missing: run `make web` first")
    out = outputs(args.stack, args.region)
    s3 = boto3.client("s3", region_name=args.region)
    files = sorted(p for p in DIST.rglob("*") if p.is_file())
    # Hashed assets first, so the new index.html never names a missing file.
    for path in sorted(files, key=lambda p: p.name == "index.html"):
        key = path.relative_to(DIST).as_posix()
        cache = IMMUTABLE if key.startswith("assets/") else REVALIDATE
        upload(s3, out["WebBucketName"], key, path.read_bytes(), cache)
    upload(s3, out["WebBucketName"], "config.json", config(out, args.region), REVALIDATE)
    boto3.client("cloudfront").create_invalidation(
        DistributionId=out["WebDistributionId"],
        InvalidationBatch={"Paths": {"Quantity": 3, "Items": ["/index.html", "/config.json", "/"]},
                           "CallerReference": str(time.time())})
    print(f"published {len(files)} file(s) and config.json; the app is at {out['AppUrl']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
