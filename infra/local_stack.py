#!/usr/bin/env python3
"""The local AWS emulator for designa.

    local_stack.py start            start the pinned moto server on 127.0.0.1:4566 (reuse one that answers)
    local_stack.py stop             stop the server this script started
    local_stack.py reset            empty the emulator (moto's reset API)
    local_stack.py create           create every resource template.yaml declares
    local_stack.py env FUNCTION     print `export` lines for a function's environment
    local_stack.py token EMAIL PW   sign in (USER_PASSWORD_AUTH) and print an ID token, for curl

template.yaml is the single source of truth: this script reads it, resolves
the intrinsic functions it uses, and creates the buckets (with their S3->SQS
notifications), queues (with their dead-letter queues), tables, KMS keys and
SES identities it declares. Nothing here lists resources by hand.
`create` describes the result in .local/stack.json: physical names, each
function's resolved environment, and what API Gateway would check (the
HttpApi's JWT authorizers with issuer and audience resolved, and the routes
declared with `Authorizer: NONE`) for the local API server.

The same commands work against LocalStack: set AWS_ENDPOINT_URL (default
http://127.0.0.1:4566) and skip `start`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import yaml
from botocore.exceptions import ClientError

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
STATE = ROOT / ".local"
PID_FILE = STATE / "moto.pid"
LOG_FILE = STATE / "moto.log"
STACK_FILE = STATE / "stack.json"

ENDPOINT = os.environ.get("AWS_ENDPOINT_URL", "http://127.0.0.1:4566").rstrip("/")
REGION = os.environ.get("AWS_REGION", "eu-west-3")
STACK_NAME = os.environ.get("STACK_NAME", "designa-local")
ACCOUNT_ID = "123456789012"  # moto's default account
os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")


class StackError(Exception):
    pass


# ---------------------------------------------------------------- server


def answering(timeout: float = 0.5) -> bool:
    try:
        urllib.request.urlopen(f"{ENDPOINT}/moto-api/", timeout=timeout)
        return True
    except urllib.error.HTTPError:
        return True  # something answers HTTP there (LocalStack, another moto)
    except OSError:
        return False


def start() -> None:
    if answering():
        print(f"an emulator already answers at {ENDPOINT}: using it")
        return
    host, port = ENDPOINT.split("://", 1)[1].split(":")
    server = Path(sys.executable).with_name("moto_server")
    if not server.exists():
        raise StackError(f"{server} is missing: run `make venv`")
    STATE.mkdir(exist_ok=True)
    with open(LOG_FILE, "wb") as log:
        process = subprocess.Popen(
            [str(server), "-H", host, "-p", port],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            # Tests capture sent e-mails through moto's request recorder.
            # TOTP on: the codes of the second factor are checked, as Cognito does.
            env={**os.environ, "MOTO_RECORDER_FILEPATH": str(STATE / "moto-recording.jsonl"),
                 "MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP": "true"},
        )
    PID_FILE.write_text(str(process.pid))
    deadline = time.monotonic() + 30
    while not answering():
        if process.poll() is not None or time.monotonic() > deadline:
            tail = LOG_FILE.read_text(errors="replace")[-2000:]
            stop()
            raise StackError(f"moto_server did not become ready at {ENDPOINT}; its log ends with:\n{tail}")
        time.sleep(0.1)
    print(f"moto_server ready at {ENDPOINT} (pid {process.pid})")


def ours(pid: int) -> bool:
    try:
        return b"moto_server" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def stop() -> None:
    if not PID_FILE.exists():
        return
    pid = int(PID_FILE.read_text().strip() or 0)
    PID_FILE.unlink()
    if pid and ours(pid):
        os.killpg(pid, signal.SIGTERM)
        for _ in range(50):
            if not ours(pid):
                break
            time.sleep(0.1)
        else:
            os.killpg(pid, signal.SIGKILL)
        print(f"moto_server stopped (pid {pid})")


def reset() -> None:
    request = urllib.request.Request(f"{ENDPOINT}/moto-api/reset", method="POST")
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as e:
        raise StackError(f"{ENDPOINT} does not support moto's reset API ({e.code})") from e


# ---------------------------------------------------------------- template


class CfnLoader(yaml.SafeLoader):
    """YAML loader that turns CloudFormation short tags into their long forms."""


def _construct(tag: str):
    name = "Ref" if tag == "Ref" else ("Condition" if tag == "Condition" else f"Fn::{tag}")

    def construct(loader, node):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if tag == "GetAtt":
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {name: value}

    return construct


for _tag in ["Ref", "Sub", "GetAtt", "If", "Equals", "Not", "And", "Or", "Join", "Select", "Split",
             "FindInMap", "Base64", "GetAZs", "ImportValue", "Condition", "Cidr"]:
    CfnLoader.add_constructor(f"!{_tag}", _construct(_tag))


# Parameters whose cloud default names something the emulator lacks: the
# web app is `make app`'s server, not a CloudFront distribution.
LOCAL_PARAMETERS = {"AppUrl": "http://127.0.0.1:3000"}


class Template:
    def __init__(self, path: Path):
        self.doc = yaml.load(path.read_text(), Loader=CfnLoader)
        self.resources: dict = self.doc.get("Resources", {})
        self.parameters = {}
        for name, spec in self.doc.get("Parameters", {}).items():
            default = LOCAL_PARAMETERS.get(name, str(spec.get("Default", "")))
            self.parameters[name] = os.environ.get(f"PARAM_{name}", default)
        self.pseudo = {
            "AWS::StackName": STACK_NAME,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Region": REGION,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": None,
        }
        self.physical: dict[str, dict] = {}  # logical id -> {"Ref": ..., attributes...}
        self.conditions = {name: self.resolve(expr) for name, expr in self.doc.get("Conditions", {}).items()}

    def ref(self, name: str):
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in self.physical:
            return self.physical[name]["Ref"]
        raise StackError(f"template.yaml: !Ref {name} names a resource not created yet or unknown")

    def get_att(self, logical: str, attribute: str):
        try:
            return self.physical[logical][attribute]
        except KeyError:
            raise StackError(f"template.yaml: !GetAtt {logical}.{attribute} is not known locally") from None

    def sub(self, text: str, extra: dict | None = None) -> str:
        out, i = [], 0
        while i < len(text):
            start = text.find("${", i)
            if start < 0:
                out.append(text[i:])
                break
            out.append(text[i:start])
            end = text.index("}", start)
            name = text[start + 2:end]
            if name.startswith("!"):
                out.append("${" + name[1:] + "}")
            elif extra and name in extra:
                out.append(str(self.resolve(extra[name])))
            elif "." in name:
                out.append(str(self.get_att(*name.split(".", 1))))
            else:
                out.append(str(self.ref(name)))
            i = end + 1
        return "".join(out)

    def resolve(self, value):
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::GetAtt":
                logical, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
                return self.get_att(logical, attribute)
            if key == "Fn::Sub":
                if isinstance(arg, list):
                    return self.sub(arg[0], arg[1])
                return self.sub(arg)
            if key == "Fn::Join":
                return arg[0].join(str(self.resolve(v)) for v in arg[1])
            if key == "Fn::If":
                name, yes, no = arg
                return self.resolve(yes if self.conditions[name] else no)
            if key == "Fn::Equals":
                a, b = (self.resolve(v) for v in arg)
                return str(a) == str(b)
            if key == "Fn::Not":
                return not self.resolve(arg[0])
            if key == "Fn::And":
                return all(self.resolve(v) for v in arg)
            if key == "Fn::Or":
                return any(self.resolve(v) for v in arg)
            if key == "Condition":
                return self.conditions[arg]
            if key == "Fn::Select":
                return self.resolve(arg[1])[int(self.resolve(arg[0]))]
            if key == "Fn::Split":
                return str(self.resolve(arg[1])).split(arg[0])
        return {k: self.resolve(v) for k, v in value.items()}

    def of_type(self, kind: str):
        for logical, spec in self.resources.items():
            if spec.get("Type") == kind and self.enabled(spec):
                yield logical, spec.get("Properties", {})

    def enabled(self, spec: dict) -> bool:
        condition = spec.get("Condition")
        return True if condition is None else bool(self.conditions[condition])


# ---------------------------------------------------------------- resources


def client(service: str):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name=REGION)


def already(error: ClientError, *codes: str) -> bool:
    return error.response.get("Error", {}).get("Code") in codes


def create_kms_keys(t: Template) -> None:
    kms = client("kms")
    aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
    alias_of = {}
    for logical, props in t.of_type("AWS::KMS::Alias"):
        target = props["TargetKeyId"]
        alias_of[target.get("Ref") if isinstance(target, dict) else target] = t.resolve(props["AliasName"])
        t.physical[logical] = {"Ref": t.resolve(props["AliasName"])}
    for logical, props in t.of_type("AWS::KMS::Key"):
        alias = alias_of.get(logical)
        key_id = aliases.get(alias) if alias else None
        if key_id is None:
            # An asymmetric key (the certificates' signing key) says its spec and usage.
            spec = {name: props[name] for name in ["KeySpec", "KeyUsage"] if name in props}
            key_id = kms.create_key(Description=str(t.resolve(props.get("Description", logical))), **spec)["KeyMetadata"]["KeyId"]
            if props.get("EnableKeyRotation"):
                kms.enable_key_rotation(KeyId=key_id)
            if alias:
                kms.create_alias(AliasName=alias, TargetKeyId=key_id)
        arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
        t.physical[logical] = {"Ref": key_id, "Arn": arn, "KeyId": key_id}


def create_queues(t: Template) -> None:
    sqs = client("sqs")
    queues = dict(t.of_type("AWS::SQS::Queue"))
    pending = list(queues)
    while pending:
        progressed = False
        for logical in list(pending):
            props = queues[logical]
            redrive = props.get("RedrivePolicy")
            if redrive and _target(redrive.get("deadLetterTargetArn")) in pending:
                continue  # its dead-letter queue first
            name = t.resolve(props.get("QueueName", f"{STACK_NAME}-{logical}"))
            attributes = {}
            for key in ["VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "ReceiveMessageWaitTimeSeconds",
                        "MaximumMessageSize", "SqsManagedSseEnabled", "KmsMasterKeyId"]:
                if key in props:
                    value = t.resolve(props[key])
                    attributes[key] = str(value).lower() if isinstance(value, bool) else str(value)
            if redrive:
                attributes["RedrivePolicy"] = json.dumps(t.resolve(redrive))
            url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
            sqs.set_queue_attributes(QueueUrl=url, Attributes=attributes)
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            t.physical[logical] = {"Ref": url, "Arn": arn, "QueueName": name, "QueueUrl": url}
            pending.remove(logical)
            progressed = True
        if not progressed:
            raise StackError(f"template.yaml: circular dead-letter queues among {pending}")


def _target(expr) -> str | None:
    if isinstance(expr, dict) and "Fn::GetAtt" in expr:
        arg = expr["Fn::GetAtt"]
        return (arg if isinstance(arg, list) else arg.split("."))[0]
    return None


def create_queue_policies(t: Template) -> None:
    sqs = client("sqs")
    for logical, props in t.of_type("AWS::SQS::QueuePolicy"):
        policy = json.dumps(t.resolve(props["PolicyDocument"]))
        for url in t.resolve(props["Queues"]):
            sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": policy})
        t.physical[logical] = {"Ref": logical}


def create_topics(t: Template) -> None:
    sns = client("sns")
    for logical, props in t.of_type("AWS::SNS::Topic"):
        name = t.resolve(props.get("TopicName", f"{STACK_NAME}-{logical}"))
        arn = sns.create_topic(Name=name)["TopicArn"]
        t.physical[logical] = {"Ref": arn, "TopicArn": arn, "TopicName": name}


def create_tables(t: Template) -> None:
    dynamodb = client("dynamodb")
    for logical, props in t.of_type("AWS::DynamoDB::Table"):
        name = t.resolve(props.get("TableName", f"{STACK_NAME}-{logical}"))
        args = {
            "TableName": name,
            "AttributeDefinitions": t.resolve(props["AttributeDefinitions"]),
            "KeySchema": t.resolve(props["KeySchema"]),
            "BillingMode": t.resolve(props.get("BillingMode", "PAY_PER_REQUEST")),
        }
        if "GlobalSecondaryIndexes" in props:
            args["GlobalSecondaryIndexes"] = t.resolve(props["GlobalSecondaryIndexes"])
        if "StreamSpecification" in props:
            args["StreamSpecification"] = {"StreamEnabled": True, **t.resolve(props["StreamSpecification"])}
        sse = t.resolve(props.get("SSESpecification"))
        if sse:
            args["SSESpecification"] = {"Enabled": bool(sse.get("SSEEnabled")), "SSEType": sse.get("SSEType", "KMS"),
                                        **({"KMSMasterKeyId": sse["KMSMasterKeyId"]} if sse.get("KMSMasterKeyId") else {})}
        try:
            dynamodb.create_table(**args)
        except ClientError as e:
            if not already(e, "ResourceInUseException"):
                raise
        dynamodb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 100})
        ttl = t.resolve(props.get("TimeToLiveSpecification"))
        if ttl and ttl.get("Enabled"):
            current = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
            if current.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
                dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        pitr = t.resolve(props.get("PointInTimeRecoverySpecification"))
        if pitr and pitr.get("PointInTimeRecoveryEnabled"):
            try:
                dynamodb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification=pitr)
            except ClientError:
                pass  # not every emulator models backups; nothing depends on it locally
        description = dynamodb.describe_table(TableName=name)["Table"]
        t.physical[logical] = {"Ref": name, "Arn": description["TableArn"],
                               "StreamArn": description.get("LatestStreamArn", "")}


def create_buckets(t: Template) -> None:
    s3 = client("s3")
    for logical, props in t.of_type("AWS::S3::Bucket"):
        name = t.resolve(props.get("BucketName", f"{STACK_NAME}-{logical}".lower()))
        locked = bool(props.get("ObjectLockEnabled"))
        try:
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION},
                             ObjectLockEnabledForBucket=locked)
        except ClientError as e:
            if not already(e, "BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise
        t.physical[logical] = {"Ref": name, "Arn": f"arn:aws:s3:::{name}", "BucketName": name}
        if "VersioningConfiguration" in props:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=t.resolve(props["VersioningConfiguration"]))
        if "ObjectLockConfiguration" in props:
            # moto records the lock (and the checksum it demands of puts)
            # but enforces retention loosely: tests do not rely on it.
            s3.put_object_lock_configuration(Bucket=name, ObjectLockConfiguration=t.resolve(props["ObjectLockConfiguration"]))
        encryption = t.resolve(props.get("BucketEncryption"))
        if encryption:
            rules = []
            for rule in encryption["ServerSideEncryptionConfiguration"]:
                default = rule["ServerSideEncryptionByDefault"]
                applied = {"SSEAlgorithm": default["SSEAlgorithm"]}
                if default.get("KMSMasterKeyID"):
                    applied["KMSMasterKeyID"] = default["KMSMasterKeyID"]
                rules.append({"ApplyServerSideEncryptionByDefault": applied,
                              "BucketKeyEnabled": bool(rule.get("BucketKeyEnabled", False))})
            s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
        if "PublicAccessBlockConfiguration" in props:
            s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=t.resolve(props["PublicAccessBlockConfiguration"]))
        if "CorsConfiguration" in props:
            s3.put_bucket_cors(Bucket=name, CORSConfiguration=_local_cors(props["CorsConfiguration"]))
        lifecycle = t.resolve(props.get("LifecycleConfiguration"))
        if lifecycle:
            s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": [_lifecycle_rule(r) for r in lifecycle["Rules"]]})
        notification = t.resolve(props.get("NotificationConfiguration"))
        if notification:
            queues = []
            for q in notification.get("QueueConfigurations", []):
                entry = {"QueueArn": q["Queue"], "Events": [q["Event"]]}
                rules = q.get("Filter", {}).get("S3Key", {}).get("Rules")
                if rules:
                    entry["Filter"] = {"Key": {"FilterRules": rules}}
                queues.append(entry)
            s3.put_bucket_notification_configuration(Bucket=name, NotificationConfiguration={"QueueConfigurations": queues})


# Where `make app` (3000) and the end-to-end tests (3998) serve the web app.
LOCAL_APP_ORIGINS = ["http://127.0.0.1:3000", "http://localhost:3000", "http://127.0.0.1:3998"]


def _local_cors(cors: dict) -> dict:
    """CloudFormation's CORS rules -> the S3 API's, for the local app's origins
    (the template's origin is the CloudFront distribution's)."""
    rules = []
    for rule in cors["CorsRules"]:
        rules.append({"AllowedOrigins": LOCAL_APP_ORIGINS, "AllowedMethods": rule["AllowedMethods"],
                      "AllowedHeaders": rule.get("AllowedHeaders", []), "MaxAgeSeconds": int(rule.get("MaxAge", 0))})
    return {"CORSRules": rules}


def _lifecycle_rule(rule: dict) -> dict:
    """CloudFormation's lifecycle rule shape -> the S3 API's."""
    out = {"ID": rule.get("Id", "rule"), "Status": rule.get("Status", "Enabled"), "Filter": {"Prefix": rule.get("Prefix", "")}}
    if "ExpirationInDays" in rule:
        out["Expiration"] = {"Days": int(rule["ExpirationInDays"])}
    if "NoncurrentVersionExpiration" in rule:
        out["NoncurrentVersionExpiration"] = {"NoncurrentDays": int(rule["NoncurrentVersionExpiration"]["NoncurrentDays"])}
    if "AbortIncompleteMultipartUpload" in rule:
        out["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": int(rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"])}
    return out


def create_email_identities(t: Template) -> None:
    ses = client("ses")
    for logical, props in t.of_type("AWS::SES::EmailIdentity"):
        identity = t.resolve(props["EmailIdentity"])
        if "@" in identity:
            ses.verify_email_identity(EmailAddress=identity)
        else:
            ses.verify_domain_identity(Domain=identity)
        t.physical[logical] = {"Ref": identity}


def create_email_templates(t: Template) -> None:
    ses = client("ses")
    for logical, props in t.of_type("AWS::SES::Template"):
        template = t.resolve(props["Template"])
        try:
            ses.create_template(Template=template)
        except ClientError as error:
            if not already(error, "AlreadyExists", "AlreadyExistsException"):
                raise
            ses.update_template(Template=template)
        t.physical[logical] = {"Ref": template["TemplateName"]}


def create_configuration_sets(t: Template) -> None:
    ses = client("ses")
    for logical, props in t.of_type("AWS::SES::ConfigurationSet"):
        name = t.resolve(props.get("Name", f"{STACK_NAME}-{logical}"))
        try:
            ses.create_configuration_set(ConfigurationSet={"Name": name})
        except ClientError as error:
            if not already(error, "ConfigurationSetAlreadyExists", "ConfigurationSetAlreadyExistsException"):
                raise
        t.physical[logical] = {"Ref": name}


def create_user_pools(t: Template) -> None:
    cognito = client("cognito-idp")
    existing = {p["Name"]: p["Id"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"]}
    for logical, props in t.of_type("AWS::Cognito::UserPool"):
        name = t.resolve(props.get("UserPoolName", f"{STACK_NAME}-{logical}"))
        pool_id = existing.get(name)
        if pool_id is None:
            args = {"PoolName": name}
            for key in ["Policies", "UsernameAttributes", "AutoVerifiedAttributes", "MfaConfiguration",
                        "AccountRecoverySetting", "AdminCreateUserConfig", "Schema"]:
                if key in props:
                    args[key] = t.resolve(props[key])
            if "EnabledMfas" in props:
                args.setdefault("MfaConfiguration", "OPTIONAL")
            pool_id = cognito.create_user_pool(**args)["UserPool"]["Id"]
            if "EnabledMfas" in props:
                cognito.set_user_pool_mfa_config(UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True},
                                                 MfaConfiguration=t.resolve(props.get("MfaConfiguration", "OPTIONAL")))
        arn = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Arn"]
        t.physical[logical] = {"Ref": pool_id, "Arn": arn,
                               "ProviderName": f"cognito-idp.{REGION}.amazonaws.com/{pool_id}"}


def create_user_pool_clients(t: Template) -> None:
    cognito = client("cognito-idp")
    for logical, props in t.of_type("AWS::Cognito::UserPoolClient"):
        pool_id = t.resolve(props["UserPoolId"])
        name = t.resolve(props.get("ClientName", f"{STACK_NAME}-{logical}"))
        clients = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
        client_id = next((c["ClientId"] for c in clients if c["ClientName"] == name), None)
        if client_id is None:
            args = {"UserPoolId": pool_id, "ClientName": name}
            for key in ["GenerateSecret", "ExplicitAuthFlows", "PreventUserExistenceErrors", "ReadAttributes", "WriteAttributes"]:
                if key in props:
                    args[key] = t.resolve(props[key])
            client_id = cognito.create_user_pool_client(**args)["UserPoolClient"]["ClientId"]
        t.physical[logical] = {"Ref": client_id}


# Local meaning only; the rest (functions, IAM, alarms, logs, policies) is deployment-only.
CREATORS = [
    ("AWS::KMS::Key", create_kms_keys),
    ("AWS::SQS::Queue", create_queues),
    ("AWS::SNS::Topic", create_topics),
    ("AWS::DynamoDB::Table", create_tables),
    ("AWS::SQS::QueuePolicy", create_queue_policies),
    ("AWS::S3::Bucket", create_buckets),
    ("AWS::SES::EmailIdentity", create_email_identities),
    ("AWS::SES::Template", create_email_templates),
    ("AWS::SES::ConfigurationSet", create_configuration_sets),
    ("AWS::Cognito::UserPool", create_user_pools),
    ("AWS::Cognito::UserPoolClient", create_user_pool_clients),
]
HANDLED = {kind for kind, _ in CREATORS} | {"AWS::KMS::Alias"}


def function_environments(t: Template) -> dict:
    """Each function's environment as Lambda would see it: Globals merged with its own."""
    globals_env = t.doc.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    functions = {}
    for logical, props in t.of_type("AWS::Serverless::Function"):
        variables = {**globals_env, **props.get("Environment", {}).get("Variables", {})}
        functions[logical] = {k: str(t.resolve(v)) for k, v in variables.items()}
    return functions


def function_code(t: Template) -> dict:
    """Each function's package (the folder of its CodeUri) and memory, for the cold-start bench."""
    default_memory = t.doc.get("Globals", {}).get("Function", {}).get("MemorySize", 128)
    return {logical: {"package": Path(props["CodeUri"]).name, "memory": props.get("MemorySize", default_memory)}
            for logical, props in t.of_type("AWS::Serverless::Function")}


def http_api_auth(t: Template) -> tuple[dict, list]:
    """What API Gateway checks, for the local server: each HttpApi's JWT
    authorizers (issuer and audience resolved) and the routes without one."""
    authorizers, public = {}, []
    for logical, props in t.of_type("AWS::Serverless::HttpApi"):
        for name, spec in props.get("Auth", {}).get("Authorizers", {}).items():
            jwt = spec.get("JwtConfiguration", {})
            authorizers[f"{logical}.{name}"] = {
                "issuer": str(t.resolve(jwt.get("issuer"))),
                "audience": [str(t.resolve(a)) for a in jwt.get("audience", [])],
                "identity_source": spec.get("IdentitySource", "$request.header.Authorization"),
            }
    for _, props in t.of_type("AWS::Serverless::Function"):
        for event in props.get("Events", {}).values():
            event_props = event.get("Properties", {})
            if event.get("Type") == "HttpApi" and event_props.get("Auth", {}).get("Authorizer") == "NONE":
                public.append([event_props["Method"].upper(), event_props["Path"]])
    return authorizers, public


def create() -> None:
    if not answering():
        raise StackError(f"no emulator answers at {ENDPOINT}: run `infra/local_stack.py start` (or start LocalStack)")
    t = Template(TEMPLATE)
    for _, creator in CREATORS:
        creator(t)
    # Resources whose physical id is their name in deployment only still resolve in environments.
    for logical, spec in t.resources.items():
        t.physical.setdefault(logical, {"Ref": f"{STACK_NAME}-{logical}"})
    skipped = sorted({spec["Type"] for spec in t.resources.values() if spec["Type"] not in HANDLED})
    stack = {
        "endpoint": ENDPOINT,
        "region": REGION,
        "stack_name": STACK_NAME,
        "resources": {logical: str(p["Ref"]) for logical, p in t.physical.items()
                      if t.resources[logical]["Type"] in HANDLED},
        "functions": function_environments(t),
        "function_code": function_code(t),
    }
    stack["authorizers"], stack["public_routes"] = http_api_auth(t)
    STATE.mkdir(exist_ok=True)
    STACK_FILE.write_text(json.dumps(stack, indent=2) + "\n")
    for logical, physical in stack["resources"].items():
        print(f"  {logical:<32} {physical}")
    print(f"created from template.yaml at {ENDPOINT}; not emulated: {', '.join(skipped)}")
    print(f"described in {STACK_FILE.relative_to(ROOT)}")


def env(function: str) -> None:
    if not STACK_FILE.exists():
        raise StackError(f"{STACK_FILE} is missing: run `infra/local_stack.py create` first")
    stack = json.loads(STACK_FILE.read_text())
    if function not in stack["functions"]:
        raise StackError(f"no function {function} in template.yaml (known: {', '.join(stack['functions'])})")
    variables = {"AWS_ENDPOINT_URL": stack["endpoint"], "AWS_REGION": stack["region"],
                 "AWS_ACCESS_KEY_ID": os.environ["AWS_ACCESS_KEY_ID"],
                 "AWS_SECRET_ACCESS_KEY": os.environ["AWS_SECRET_ACCESS_KEY"], **stack["functions"][function]}
    for key, value in variables.items():
        print(f"export {key}='{value}'")


def token(email: str, password: str) -> None:
    """Signs in (USER_PASSWORD_AUTH) and prints the ID token, for curl."""
    if not STACK_FILE.exists():
        raise StackError(f"{STACK_FILE} is missing: run `infra/local_stack.py create` first")
    stack = json.loads(STACK_FILE.read_text())
    answer = client("cognito-idp").initiate_auth(
        ClientId=stack["resources"]["UserPoolClient"], AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password})
    print(answer["AuthenticationResult"]["IdToken"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ["start", "stop", "reset", "create"]:
        sub.add_parser(name)
    env_parser = sub.add_parser("env")
    env_parser.add_argument("function")
    token_parser = sub.add_parser("token", help="sign in and print an ID token")
    token_parser.add_argument("email")
    token_parser.add_argument("password")
    args = parser.parse_args()
    try:
        if args.command == "env":
            env(args.function)
        elif args.command == "token":
            token(args.email, args.password)
        else:
            {"start": start, "stop": stop, "reset": reset, "create": create}[args.command]()
    except (StackError, ClientError) as e:
        print(f"local_stack.py {args.command}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
