#!/usr/bin/env python3
"""Cold start of a guard's NativeAOT bootstrap, measured locally.

Each run starts the published `bootstrap` as a fresh process (under /usr/bin/time -v for peak RSS) against a fake
Lambda Runtime API on 127.0.0.1 (this script) with a moto server as AWS (AWS_ENDPOINT_URL). The fake hands it one
detect-only event: an IAM CreateUser record, which the IAM guard's rules do not match, so the guard parses,
matches, answers and makes no AWS call. Measured: process start (just before exec) -> the response POST arriving
at the fake Runtime API. Reports median and max over the runs, and the largest peak RSS.

    deploy/package.sh --arch x86_64
    python3 deploy/coldstart.py [--bootstrap deploy/artifacts/x86_64/Remediator.Functions.Iam/bootstrap] [--runs 20]
"""
import argparse
import json
import os
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from coldstart_common import ROOT, run_bootstrap, start_moto, summary  # noqa: E402
EVENT_RECORD = ROOT / "tests/fixtures/cloudtrail/iam/CreateUser__1.json"


def envelope():
    record = json.loads(EVENT_RECORD.read_text())
    return json.dumps({
        "version": "0", "id": str(uuid.uuid4()), "detail-type": "AWS API Call via CloudTrail", "source": "aws.iam",
        "account": "123456789012", "time": record["eventTime"], "region": "us-east-1", "resources": [], "detail": record,
    }).encode()


def run_once(bootstrap: Path, moto_url: str, event: bytes):
    env = {
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "REMEDIATOR_CONCERN": "iam-broad-permissions",
        "REMEDIATOR_AUDIT_TABLE": "remediator-audit",
        "REMEDIATOR_OWN_PRINCIPALS": "arn:aws:iam::123456789012:role/remediator-*",
        "REMEDIATOR_NOTIFY_ONLY": "false",
    }
    ms, rss_kb, kind, body = run_bootstrap(bootstrap, env, event, "remediator-iam-guard")
    if kind != "response":
        raise SystemExit(f"the bootstrap posted an error: {body.decode()}")
    return ms, rss_kb, body


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", default=str(ROOT / "deploy/artifacts/x86_64/Remediator.Functions.Iam/bootstrap"))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--moto-url", default=os.environ.get("REMEDIATOR_MOTO_URL"))
    args = parser.parse_args()
    bootstrap = Path(args.bootstrap)
    if not bootstrap.is_file():
        raise SystemExit(f"{bootstrap}: not found; run deploy/package.sh --arch x86_64 first")

    moto = None
    moto_url = args.moto_url
    if not moto_url:
        moto, moto_url = start_moto()
    try:
        event = envelope()
        times, peaks = [], []
        for i in range(args.runs):
            ms, rss_kb, body = run_once(bootstrap, moto_url, event)
            times.append(ms)
            peaks.append(rss_kb or 0)
            if i == 0:
                print(f"response: {body.decode()}")
        print(f"binary: {bootstrap} ({bootstrap.stat().st_size / 1e6:.1f} MB)")
        print(f"runs: {args.runs}")
        print(summary(times, peaks))
    finally:
        if moto:
            moto.terminate()
            moto.wait(5)


if __name__ == "__main__":
    main()
