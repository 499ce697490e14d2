#!/usr/bin/env bash
# Scores the bot's retrieval on our own check set (benchmarks/questions_own.jsonl) with the
# same scorer as the development questions (../shared/eval/score.py).
#   usage (from the project root): benchmarks/eval_own.sh [PYTHON] [--per-query]
# PYTHON defaults to .venv/bin/python, else python3. Only id, command and query reach the bot.
# The check set is held out: read its aggregate figures, not its individual misses, or it
# stops telling you whether a change generalises.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
questions="$root/benchmarks/questions_own.jsonl"
scorer="${PIERPOINT_SCORER:-$root/../shared/eval/score.py}"
py=""
if [[ $# -gt 0 && $1 != --* ]]; then py=$1; shift; fi
if [[ -z $py ]]; then
  if [[ -x "$root/.venv/bin/python" ]]; then py="$root/.venv/bin/python"; else py=python3; fi
fi
if [[ ! -f $scorer ]]; then
  echo "no scorer at $scorer (set PIERPOINT_SCORER to the path of score.py)" >&2
  exit 2
fi
results=$(mktemp)
trap 'rm -f "$results"' EXIT
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    if line.strip():
        q = json.loads(line)
        print(json.dumps({k: q[k] for k in ("id", "command", "query")}))
' "$questions" | (cd "$root" && HF_HUB_OFFLINE=1 "$py" -m bot search --jsonl --top-k 10) > "$results"
python3 "$scorer" "$results" "$questions" --by kind "$@"
