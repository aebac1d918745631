#!/usr/bin/env bash
# The mutation run (README, "Development"): mutmut mutates the domain rules, the cell parser
# and the folder names ([tool.mutmut] in pyproject.toml) and runs their fast tests against each
# mutant, with ONE worker (the machine is shared). Not part of CI's test command.
#
#   scripts/mutation.sh                                   every module, from scratch (~25 min)
#   scripts/mutation.sh 'complaints_cli.domain.lifecycle*'  one module's mutants
#   KEEP=1 scripts/mutation.sh                            reuse mutants/: only new or changed
#                                                         functions' mutants, and the survivors
#
# Needs mutmut: .venv/bin/pip install -e '.[dev,mutation]'. Prints the score per module
# (scripts/mutation_score.py); `.venv/bin/mutmut show NAME` shows one mutant's change.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-.venv}
if ! "$venv/bin/python" -c "import mutmut" 2>/dev/null; then
  echo "mutation.sh: mutmut is not installed: $venv/bin/pip install -e '.[dev,mutation]'" >&2
  exit 1
fi
if [ -z "${KEEP:-}" ]; then
  rm -rf mutants
else
  # Tests may have changed: collect again which tests reach which function, and try the
  # survivors again (mutmut keeps every verdict it has given).
  rm -f mutants/mutmut-stats.json
  "$venv/bin/python" scripts/mutation_score.py --retest
fi
began=$(date +%s)
"$venv/bin/mutmut" run --max-children "${MUTATION_CHILDREN:-1}" "$@" >mutants.log 2>&1 || {
  tail -40 mutants.log >&2
  exit 1
}
echo "mutation.sh: mutmut took $(($(date +%s) - began)) s (log: mutants.log)"
"$venv/bin/python" scripts/mutation_score.py
