#!/usr/bin/env python3
"""Exports the AWS managed policies moto ships (moto/iam/aws_managed_policies.py, the data moto serves when started
with MOTO_IAM_LOAD_MANAGED_POLICIES=true) to tests/Remediator.Detectors.Tests/Iam/Corpus/aws-managed-policies.tsv.gz:
one line per policy, `name<TAB>compact JSON document`, sorted by name. Data only: no moto code is copied.

Usage: python3 tests/tools/iam-data/export_moto_managed_policies.py
"""
import gzip
import json
import os

import moto
from moto.iam.aws_managed_policies import aws_managed_policies_data


def main():
    policies = json.loads(aws_managed_policies_data)
    out = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "Remediator.Detectors.Tests", "Iam", "Corpus",
                                        "aws-managed-policies.tsv.gz"))
    lines = [f"# AWS managed policies from moto {moto.__version__} (moto/iam/aws_managed_policies.py); name<TAB>document"]
    for name in sorted(policies):
        lines.append(name + "\t" + json.dumps(policies[name]["Document"], separators=(",", ":"), sort_keys=False))
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{len(policies)} policies -> {out}")


if __name__ == "__main__":
    main()
