#!/usr/bin/env bash
# One measured dry-run sweep of the estate on a local moto server: wall time and peak RSS (/usr/bin/time -v), AWS calls
# (the requests moto's server log gained during the sweep), resources judged (the sweep's own summary).
#   sweep_once.sh ENDPOINT MOTO_LOG OUT_DIR LABEL
set -euo pipefail
endpoint=$1 log=$2 out=$3 label=$4
case "$endpoint" in http://127.0.0.1:*|http://localhost:*) ;; *) echo "refusing a non-loopback endpoint: $endpoint" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
cli=${REMEDIATOR_CLI:-$here/../../../functions/Remediator.Cli/bin/Release/net10.0/remediator}
mkdir -p "$out"
rm -f "$out/$label.audit.jsonl"
before=$(grep -c '" [0-9][0-9][0-9] -' "$log" || true)
set +e
AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
  /usr/bin/time -v "$cli" sweep --mode dry-run --format json --endpoint-url "$endpoint" --region us-east-1 \
  --audit-file "$out/$label.audit.jsonl" > "$out/$label.findings.jsonl" 2> "$out/$label.time.txt"
code=$?
set -e
after=$(grep -c '" [0-9][0-9][0-9] -' "$log" || true)
calls=$((after - before))
summary=$(tail -1 "$out/$label.findings.jsonl")
resources=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["resources"])' "$summary")
wall=$(grep 'Elapsed (wall clock)' "$out/$label.time.txt" | awk '{print $NF}')
rss=$(grep 'Maximum resident set size' "$out/$label.time.txt" | awk '{print $NF}')
printf '%s: exit %s, wall %s, peak RSS %s kB, AWS calls %s, resources judged %s, calls/resource %s\n' \
  "$label" "$code" "$wall" "$rss" "$calls" "$resources" "$(python3 -c "print(round($calls/max($resources,1),2))")"
echo "summary: $summary"
