#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, builds, runs every test project,
# and ends with one line "tests: N passed, N failed, N skipped".
#
#   ./test.sh          everything (what CI runs)
#   ./test.sh --fast   the fast part: every test not marked [Trait("Speed", "Slow")] (those start server
#                      processes, a PostgreSQL of their own, Chromium, promtool or Spectral, run two whole servers
#                      as a cluster, fuzz the API at length or play timed load runs; see docs/architecture.md). Skips
#                      Chromium, promtool, Spectral and the alert rules; uses $ROUTING_TEST_POSTGRES if set, else a
#                      throwaway PostgreSQL as the full run does.
set -euo pipefail
cd "$(dirname "$0")"

fast=0
case "${1-}" in
  "") ;;
  --fast) fast=1 ;;
  *) echo "usage: ./test.sh [--fast]" >&2; exit 2 ;;
esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
SECONDS=0 # the phases' times are printed at the end: the whole run must stay under 15 minutes on a 2-core machine

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (https://dot.net)." >&2
  exit 1
fi

results="$(mktemp -d)"
if (( fast )) && [[ -n "${ROUTING_TEST_POSTGRES-}" ]]; then
  # The fast part on the developer's own PostgreSQL (each test makes a database of its own and drops it).
  trap 'rm -rf "$results"' EXIT
  export ROUTING_TEST_POSTGRES
else
  postgres="$(mktemp -d "${TMPDIR:-/tmp}/routing-test-pg.XXXXXX")"
  chmod 755 "$postgres"
  trap 'scripts/postgres.sh stop "$postgres" >/dev/null 2>&1 || true; rm -rf "$results"' EXIT

  # A throwaway PostgreSQL (installed from Debian's packages if missing) for the PostgreSQL ledger and cluster tests.
  ROUTING_TEST_POSTGRES="$(scripts/postgres.sh start "$postgres")"
  export ROUTING_TEST_POSTGRES
fi

# Debian's Chromium for the browser tests (Playwright drives it; no browser is downloaded) with a CJK font, Node's npm
# for the pages' build (the silo's build runs `npm ci` and the bundler) and the OpenAPI lint, Prometheus' promtool for
# the alert rules, and the IANA time zones.
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
missing=()
(( fast )) || [[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
(( fast )) || command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
[[ -f /usr/share/zoneinfo/Asia/Shanghai ]] || missing+=(tzdata) # the time zones of queues' business hours
# A CJK font, so the pages in Chinese render (and their screenshots show it) rather than empty boxes.
(( fast )) || [[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]] || missing+=(fonts-noto-cjk)
if (( ${#missing[@]} )); then
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

setup_done=$SECONDS

# The C# layout: CSharpier (pinned in dotnet-tools.json) to the width .editorconfig sets; `dotnet csharpier format .` fixes it.
dotnet tool restore >/dev/null
dotnet csharpier check .

dotnet build Routing.sln -c Release -warnaserror -nologo -clp:ErrorsOnly

# Spectral and the OWASP ruleset, from their lockfile, for the OpenAPI lint test (tests/Routing.Tests/Api/OpenApiLintTests.cs),
# and the axe engine the browser tests run on every page and state they check (BrowserFixture.AssertAccessibleAsync).
(( fast )) || (cd tests/openapi-lint && npm ci --no-audit --no-fund)
(( fast )) || (cd tests/accessibility && npm ci --no-audit --no-fund)

# The alert rules and their unit tests (also run as tests, below, so a failure counts).
(( fast )) || (cd deploy/prometheus && promtool check rules alerts.yml && promtool test rules alerts.test.yml)

build_done=$SECONDS
filter=()
if (( fast )); then
  filter=(--filter "Speed!=Slow")
fi
status=0
dotnet test Routing.sln -c Release --no-build --nologo "${filter[@]}" \
  --blame-hang-timeout 5m \
  --logger "trx" --results-directory "$results" \
  --logger "console;verbosity=minimal" || status=$?
echo "time: installs and PostgreSQL ${setup_done} s, layout check, build and test tools $((build_done - setup_done)) s," \
  "tests $((SECONDS - build_done)) s, all $SECONDS s"

# One summary line over every project's TRX file.
python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
seconds = {}  # per test class: what to look at first when the suite nears its 15 minutes
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    root = ET.parse(path).getroot()
    for r in root.iterfind("t:Results/t:UnitTestResult", ns):
        h, m, s = (r.get("duration") or "0:0:0").split(":")
        name = r.get("testName", "").split("(")[0].rsplit(".", 1)[0]
        seconds[name] = seconds.get(name, 0) + int(h) * 3600 + int(m) * 60 + float(s)
    c = root.find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed", 0))
    failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    skipped += int(c.get("notExecuted", 0))
slowest = sorted(seconds.items(), key=lambda kv: -kv[1])[:8]
print("slowest test classes: " + ", ".join(f"{name.rsplit('.', 1)[-1]} {secs:.0f} s" for name, secs in slowest))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
