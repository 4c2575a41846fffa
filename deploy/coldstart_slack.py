#!/usr/bin/env python3
"""Cold start of the Slack interactivity function's NativeAOT bootstrap, measured like deploy/coldstart.py.

Each run starts the published `bootstrap` (REMEDIATOR_SLACK_PART=actions) as a fresh process against a fake Lambda
Runtime API on 127.0.0.1 and a moto server as AWS. The fake hands it one API Gateway HTTP API (v2) event: a Slack
block_actions click by an approver on a fresh pending audit record, signed with the secret that moto's SSM holds.
The function reads the secret from SSM, verifies the signature, reads the record, writes the decision (conditional
PutItem) and queues it (SQS), then answers. Measured: process start (just before exec) -> the response POST arriving
at the fake Runtime API, which must carry statusCode 200. Median, P95 and max over the runs, and the largest peak RSS.

    deploy/package.sh --arch x86_64
    python3 deploy/coldstart_slack.py [--bootstrap deploy/artifacts/x86_64/Remediator.Functions.Slack/bootstrap] [--runs 20]

--baseline OTHER_BOOTSTRAP runs the two binaries in turn (other, this, other, this, ...) against the same moto, so a
comparison holds while the machine's speed drifts, and prints both summaries and the median of the pairwise ratios.
--bad-request hands over an event that is not an HTTP API request: answered 400 before any AWS call of the click
(the signing secret's read, started at init, still runs), i.e. start-up and init without the click's round trips.
"""
import argparse
import hashlib
import hmac
import json
import statistics
import sys
import time
import urllib.parse
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from coldstart_common import ROOT, run_bootstrap, start_moto, summary  # noqa: E402

SECRET = "coldstart-signing-secret-0123456789"
PARAMETER = "/remediator/slack-signing-secret"
TABLE = "remediator-audit"
APPROVER = "U0APPROVER"
KEYS = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}


def aws(moto_url, service):
    import boto3
    return boto3.client(service, endpoint_url=moto_url, region_name="us-east-1",
                        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"], aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"])


def set_up(moto_url):
    aws(moto_url, "dynamodb").create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}])
    aws(moto_url, "ssm").put_parameter(Name=PARAMETER, Type="SecureString", Value=SECRET)
    return aws(moto_url, "sqs").create_queue(QueueName="remediator-decisions")["QueueUrl"]


def pending_record(moto_url):
    """A pending record as the guard writes it (the parts the endpoint reads); returns its id."""
    event_id = str(uuid.uuid4())
    record_id = f"{event_id}/iam-admin-wildcard"
    now = datetime.now(timezone.utc)
    stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    record = {
        "id": record_id, "eventId": event_id, "rule": "iam-admin-wildcard", "concern": "iam-broad-permissions",
        "resource": "arn:aws:iam::123456789012:role/app", "resourceType": "AWS::IAM::Role", "evidence": [],
        "mode": "approve", "outcome": "pending", "actions": [], "recordedAt": stamp(now), "updatedAt": stamp(now),
        "approval": {"approvers": [APPROVER], "decideBy": stamp(now + timedelta(hours=24)), "onExpiry": "notify", "contain": False},
    }
    aws(moto_url, "dynamodb").put_item(TableName=TABLE, Item={
        "pk": {"S": "EVENT#" + event_id}, "sk": {"S": "RULE#iam-admin-wildcard"}, "id": {"S": record_id},
        "record": {"S": json.dumps(record)}, "outcome": {"S": "pending"}, "rule": {"S": "iam-admin-wildcard"},
        "recordedAt": {"S": stamp(now)}})
    return record_id


def click(record_id):
    payload = json.dumps({"type": "block_actions", "user": {"id": APPROVER}, "actions": [{"value": "apply|" + record_id}],
                          "response_url": "https://hooks.slack.com/actions/T0/1/coldstart"})
    body = "payload=" + urllib.parse.quote(payload, safe="")
    timestamp = str(int(time.time()))
    signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return json.dumps({"version": "2.0", "routeKey": "POST /slack/actions", "rawPath": "/slack/actions",
                       "headers": {"x-slack-request-timestamp": timestamp, "x-slack-signature": signature},
                       "body": body, "isBase64Encoded": False}).encode()


BAD_REQUEST = b"[]"  # valid JSON, not an HTTP API event: answered 400 at once


def run_once(bootstrap, moto_url, queue_url, event, expect=200):
    env = {"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": moto_url, "REMEDIATOR_SLACK_PART": "actions",
           "REMEDIATOR_AUDIT_TABLE": TABLE, "REMEDIATOR_SLACK_SIGNING_PARAMETER": PARAMETER,
           "REMEDIATOR_DECISION_QUEUE_URL": queue_url, **KEYS}
    ms, rss_kb, kind, body = run_bootstrap(bootstrap, env, event, "remediator-slack-actions")
    if kind != "response" or json.loads(body)["statusCode"] != expect:
        raise SystemExit(f"the bootstrap did not answer {expect}: {kind} {body.decode()}")
    return ms, rss_kb


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", default=str(ROOT / "deploy/artifacts/x86_64/Remediator.Functions.Slack/bootstrap"))
    parser.add_argument("--baseline", help="a second bootstrap, run in turn with the first")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--bad-request", action="store_true", help="an event answered 400 before the click's AWS calls")
    args = parser.parse_args()
    binaries = [Path(args.baseline)] if args.baseline else []
    binaries.append(Path(args.bootstrap))
    for bootstrap in binaries:
        if not bootstrap.is_file():
            raise SystemExit(f"{bootstrap}: not found; run deploy/package.sh --arch x86_64 first")
    expect = 400 if args.bad_request else 200
    moto, moto_url = start_moto()
    try:
        queue_url = set_up(moto_url)
        times = {b: [] for b in binaries}
        peaks = {b: [] for b in binaries}
        for _ in range(args.runs):
            for bootstrap in binaries:
                event = BAD_REQUEST if args.bad_request else click(pending_record(moto_url))
                ms, rss_kb = run_once(bootstrap, moto_url, queue_url, event, expect)
                times[bootstrap].append(ms)
                peaks[bootstrap].append(rss_kb or 0)
        queued = aws(moto_url, "sqs").get_queue_attributes(QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"])
        print(f"decisions queued: {queued['Attributes']['ApproximateNumberOfMessages']}")
        for bootstrap in binaries:
            print(f"binary: {bootstrap} ({bootstrap.stat().st_size / 1e6:.1f} MB); runs: {args.runs}, each answered {expect}")
            print(summary(times[bootstrap], peaks[bootstrap]))
        if args.baseline:
            base, new = binaries
            ratios = [n / b for b, n in zip(times[base], times[new])]
            print(f"this / baseline, pair by pair: median {statistics.median(ratios):.3f}, min {min(ratios):.3f}, max {max(ratios):.3f}")
    finally:
        moto.terminate()
        moto.wait(5)


if __name__ == "__main__":
    main()
