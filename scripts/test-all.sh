#!/usr/bin/env bash
# The one gate: type check, lint, unit tests, build, end-to-end tests. Run through `npm test`,
# which puts the project's Node 22 first on PATH. Prints a final "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
export ASTRO_TELEMETRY_DISABLED=1

passed=0
failed=0
failures=()
report=$(mktemp -d)

step() {
  local name=$1
  shift
  echo "::: ${name}: $*"
  local start=$SECONDS
  if "$@"; then
    echo "::: ${name}: ok ($((SECONDS - start)) s)"
    return 0
  fi
  echo "::: ${name}: FAILED ($((SECONDS - start)) s)"
  failures+=("$name")
  return 1
}

# Two steps at once: `start` runs a step in the background with its output kept aside, `finish` waits for it, prints
# its output and records a failure. On two cores the type check and lint (one core each) overlap, and so do the unit
# tests and the build.
declare -A pids
start() {
  local name=$1
  ( step "$@" ) >"$report/$name.log" 2>&1 &
  pids[$name]=$!
}
finish() {
  local name=$1 rc=0
  wait "${pids[$name]}" || rc=$?
  cat "$report/$name.log"
  [ "$rc" -eq 0 ] || failures+=("$name")
  return "$rc"
}

# Counts tests from the JSON reporters, so the closing line counts tests, not steps.
count() {
  local file=$1 kind=$2
  node -e '
    const fs = require("fs");
    const [file, kind] = process.argv.slice(1);
    let p = 0, f = 0;
    try {
      const r = JSON.parse(fs.readFileSync(file, "utf8"));
      if (kind === "vitest") { p = r.numPassedTests; f = r.numFailedTests; }
      else { p = r.stats.expected; f = r.stats.unexpected + (r.stats.flaky || 0); }
    } catch { f = 1; }
    console.log(p + " " + f);
  ' "$file" "$kind"
}

# The MNIST files and sample digits come from a build step; unit tests and the type check read them.
step data npm run -s data || failed=$((failed + 1))
start check npm run -s check
start lint npm run -s lint
finish check || failed=$((failed + 1))
finish lint || failed=$((failed + 1))

# The site, then the same site under a sub-path for test/e2e/subpath.spec.ts (BASE_PATH as there). The unit tests
# take about twice as long as one build, so the second build fits beside them instead of inside the e2e run.
build_both() {
  npm run -s build &&
    BASE_PATH=/course/ ASTRO_OUT_DIR=dist-subpath npx astro build --silent &&
    npx pagefind --site dist-subpath --silent &&
    BASE_PATH=/course/ ASTRO_OUT_DIR=dist-subpath node scripts/build-sw.mjs
}
start unit npx vitest run --reporter=default --reporter=json --outputFile.json="$report/unit.json"
start build build_both
finish unit
read -r p f < <(count "$report/unit.json" vitest)
passed=$((passed + p)); failed=$((failed + f))

if finish build; then
  # The page-weight gate reads dist/, so it runs after the build (bench/page-budgets.mjs holds the budgets).
  step weight node scripts/check-page-weight.mjs || failed=$((failed + 1))
  step e2e env E2E_SUBPATH_BUILT=1 PLAYWRIGHT_JSON_OUTPUT_NAME="$report/e2e.json" npx playwright test --reporter=list,json
  read -r p f < <(count "$report/e2e.json" playwright)
  passed=$((passed + p)); failed=$((failed + f))
else
  failed=$((failed + 1))
  failures+=("weight (not run: no build)")
fi

# data, check, lint, build and weight count as one test each when they pass.
for s in data check lint build weight; do
  [[ " ${failures[*]} " == *" $s "* ]] || passed=$((passed + 1))
done

[ ${#failures[@]} -gt 0 ] && echo "Failed steps: ${failures[*]}"
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ] && [ ${#failures[@]} -eq 0 ]
