#!/usr/bin/env python3
"""Creates (part of) the sweep-scale estate on a LOCAL moto server: IAM roles with policies, Lambda functions and
DynamoDB tables, a mix of wrong and right. Indexes [start, stop) of each kind, so the estate can be grown in steps
(a quarter first, then the rest) and the same server swept at two sizes.

    python3 create_estate.py --endpoint http://127.0.0.1:5391 --fraction 0 0.25
    python3 create_estate.py --endpoint http://127.0.0.1:5391 --fraction 0.25 1

Wrong: every 4th role carries an inline Allow *:* (the other roles a narrow inline s3:GetObject policy, every 5th also
an attached customer-managed narrow policy); every 4th function has a 900 s timeout (others 30 s); every 4th table
is on the AWS-owned key (the wrong case), the others on a customer-managed KMS key.
"""
import argparse
import io
import json
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError

ROLES, FUNCTIONS, TABLES = 2000, 500, 200
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
ADMIN = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
NARROW = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket-{n}/*"}]})


def client(service, endpoint):
    host = urlparse(endpoint).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing a non-loopback endpoint: {endpoint}")
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing", config=Config(retries={"max_attempts": 10, "mode": "standard"}))


def zipped():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return 1\n")
    return buffer.getvalue()


def again(call, **kwargs):
    """moto's server is not thread-safe everywhere (a concurrent IAM write can answer 500 "dictionary changed size
    during iteration"): retry; a create that had gone through before its 500 is fine as it is."""
    for attempt in range(8):
        try:
            return call(**kwargs)
        except ClientError as e:
            if e.response["Error"]["Code"] in ("EntityAlreadyExists", "ResourceConflictException", "ResourceInUseException"):
                return None
            error = e
        except ResponseParserError as e:
            error = e
        time.sleep(0.05 * (attempt + 1))
    raise error


def role(endpoint, i, managed_arn):
    iam = client("iam", endpoint)
    name = f"scale-role-{i:05d}"
    again(iam.create_role, RoleName=name, AssumeRolePolicyDocument=TRUST)
    again(iam.put_role_policy, RoleName=name, PolicyName="inline", PolicyDocument=ADMIN if i % 4 == 0 else NARROW.replace("{n}", str(i)))
    if i % 5 == 0:
        again(iam.attach_role_policy, RoleName=name, PolicyArn=managed_arn)


def function(endpoint, i, role_arn, code):
    lam = client("lambda", endpoint)
    again(lam.create_function, FunctionName=f"scale-fn-{i:05d}", Runtime="python3.12", Role=role_arn, Handler="index.handler",
          Code={"ZipFile": code}, Timeout=900 if i % 4 == 0 else 30)


def table(endpoint, i, key_arn):
    ddb = client("dynamodb", endpoint)
    request = dict(TableName=f"scale-table-{i:05d}", BillingMode="PAY_PER_REQUEST",
                   KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    if i % 4 != 0:
        request["SSESpecification"] = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key_arn}
    again(ddb.create_table, **request)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--fraction", nargs=2, type=float, default=[0.0, 1.0])
    parser.add_argument("--workers", type=int, default=6)
    args = parser.parse_args()
    lo, hi = args.fraction
    iam = client("iam", args.endpoint)
    try:
        managed = iam.create_policy(PolicyName="scale-narrow", PolicyDocument=NARROW.replace("{n}", "managed"))["Policy"]["Arn"]
        fn_role = iam.create_role(RoleName="scale-function-role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
        key = client("kms", args.endpoint).create_key(Description="scale")["KeyMetadata"]["Arn"]
        with open("/tmp/sweep-scale-shared.json", "w") as f:
            json.dump({"managed": managed, "role": fn_role, "key": key}, f)
    except iam.exceptions.EntityAlreadyExistsException:
        with open("/tmp/sweep-scale-shared.json") as f:
            shared = json.load(f)
        managed, fn_role, key = shared["managed"], shared["role"], shared["key"]
    code = zipped()
    with ThreadPoolExecutor(args.workers) as pool:
        jobs = [pool.submit(role, args.endpoint, i, managed) for i in range(int(ROLES * lo), int(ROLES * hi))]
        jobs += [pool.submit(function, args.endpoint, i, fn_role, code) for i in range(int(FUNCTIONS * lo), int(FUNCTIONS * hi))]
        jobs += [pool.submit(table, args.endpoint, i, key) for i in range(int(TABLES * lo), int(TABLES * hi))]
        for job in jobs:
            job.result()
    print(f"created roles/functions/tables [{lo}, {hi}): {int(ROLES * hi) - int(ROLES * lo)}/"
          f"{int(FUNCTIONS * hi) - int(FUNCTIONS * lo)}/{int(TABLES * hi) - int(TABLES * lo)}")


if __name__ == "__main__":
    main()
