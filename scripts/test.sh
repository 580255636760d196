#!/usr/bin/env bash
# Runs every test suite in order: typecheck, unit (vitest), Python (pytest), end-to-end
# (Playwright). Stops at the first failure and prints a summary. Step names given as
# arguments run only those steps, e.g. `scripts/test.sh typecheck unit`.
#
# First it checks the Debian packages the suites need: Chromium for Playwright, torch,
# onnx, numpy and pytest for /usr/bin/python3, and the Debian packages whose Python
# source is the training corpus (PACKAGES in training/corpus.py). As root it installs
# the missing ones with apt-get. Otherwise it prints the install command and exits 1.
set -uo pipefail

cd "$(dirname "$0")/.."

BASE_PACKAGES=(chromium python3-torch python3-onnx python3-numpy python3-pytest libopenblas0-pthread)

# Read the corpus package names from the PACKAGES list in training/corpus.py, so this
# script and the corpus builder cannot disagree.
read_corpus_packages() {
  awk '/^PACKAGES = \[/ { inside = 1; next } inside && /^\]/ { exit } inside' training/corpus.py |
    grep -o '"[^"]*"' | tr -d '"'
}

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

install_missing_packages() {
  local corpus_packages
  mapfile -t corpus_packages < <(read_corpus_packages)
  if [ "${#corpus_packages[@]}" -eq 0 ]; then
    echo "test.sh: found no package names in the PACKAGES list of training/corpus.py." >&2
    return 1
  fi

  local missing=()
  for package in "${BASE_PACKAGES[@]}" "${corpus_packages[@]}"; do
    is_installed "$package" || missing+=("$package")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "test.sh: all ${#BASE_PACKAGES[@]} base and ${#corpus_packages[@]} corpus Debian packages are installed."
    return 0
  fi

  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: missing Debian packages: ${missing[*]}" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    return 1
  fi

  echo "test.sh: installing missing Debian packages: ${missing[*]}"
  apt-get update &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

STEPS=()
RESULTS=()

print_summary() {
  [ "${#STEPS[@]}" -eq 0 ] && return
  echo
  echo "== test summary =="
  local i
  local passed=0 failed=0
  for i in "${!STEPS[@]}"; do
    printf '  %-12s %s\n' "${STEPS[$i]}" "${RESULTS[$i]}"
    case "${RESULTS[$i]}" in
      passed*) passed=$((passed + 1)) ;;
      *) failed=$((failed + 1)) ;;
    esac
  done
  # A closing line in the plain form CI runners read: suites, not single tests.
  echo "suites: $passed passed, $failed failed"
}
trap print_summary EXIT

run_step() {
  local name="$1"
  shift
  echo
  echo "== $name: $* =="
  local started=$SECONDS
  if "$@"; then
    STEPS+=("$name")
    RESULTS+=("passed ($((SECONDS - started)) s)")
  else
    local status=$?
    STEPS+=("$name")
    RESULTS+=("FAILED with exit code $status ($((SECONDS - started)) s)")
    exit "$status"
  fi
}

declare -A SUITES=(
  [typecheck]=typecheck
  [unit]=test:unit
  [python]=test:python
  [e2e]=test:e2e
)
ORDER=(typecheck unit python e2e)

selected=("$@")
[ "${#selected[@]}" -eq 0 ] && selected=("${ORDER[@]}")
for name in "${selected[@]}"; do
  if [ -z "${SUITES[$name]:-}" ]; then
    echo "test.sh: unknown step \"$name\": use one of ${ORDER[*]}." >&2
    exit 2
  fi
done

run_step packages install_missing_packages
for name in "${ORDER[@]}"; do
  for wanted in "${selected[@]}"; do
    if [ "$wanted" = "$name" ]; then
      run_step "$name" npm run --silent "${SUITES[$name]}"
    fi
  done
done
exit 0
