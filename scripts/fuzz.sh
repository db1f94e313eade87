#!/usr/bin/env bash
# Coverage-guided fuzzing of the pure Rust core with cargo-fuzz (libFuzzer). Not part of CI
# (too slow); see docs/hardening.md.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   SECONDS  how long each target runs (default 60); targets run one after the other, one job each
#   TARGET   any of: validate sign error_parse endpoint verify (default: all)
# Environment:
#   FUZZ_SANITIZER=address|none   libFuzzer build sanitizer (default address; use none if the
#                                 sanitizer build fails on this toolchain)
#   FUZZ_UPDATE_CORPUS=1          afterwards merge what was found with fuzz/corpus/<target>
#                                 (libFuzzer -merge=1, as cargo fuzz cmin) and keep there the
#                                 <= 50 files reaching the most edges (fuzz/pick-corpus.py, needs
#                                 python3); otherwise the committed corpus is only read and new
#                                 inputs go to fuzz/target/corpus-work/
#
# cargo-fuzz passes nightly-only -Z flags to rustc; RUSTC_BOOTSTRAP=1 lets the stable toolchain
# accept them, so no nightly toolchain is needed.
set -uo pipefail

secs="${1:-60}"
if [ $# -gt 0 ]; then shift; fi
all=(validate sign error_parse endpoint verify)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi
case "$secs" in
  '' | *[!0-9]*) echo "SECONDS must be a whole number, got '$secs'" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/../fuzz" || exit 2
if ! command -v cargo-fuzz > /dev/null 2>&1; then
  echo "installing cargo-fuzz from crates.io" >&2
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz || exit 2
fi
export RUSTC_BOOTSTRAP=1
sanitizer="${FUZZ_SANITIZER:-address}"
host="$(rustc -vV | sed -n 's/^host: //p')"

cargo fuzz build -s "$sanitizer" || exit 2

failed=()
for t in "${targets[@]}"; do
  work="target/corpus-work/$t"
  log="target/fuzz-$t.log"
  mkdir -p "$work" "corpus/$t"
  echo "== $t: ${secs}s"
  # New inputs are written to the first corpus directory (the work one); the committed corpus
  # is read as seeds only.
  cargo fuzz run -s "$sanitizer" "$t" "$work" "corpus/$t" -- \
    -max_total_time="$secs" -print_final_stats=1 > "$log" 2>&1
  rc=$?
  grep -E '^(Done [0-9]+ runs|stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added)' "$log"
  grep -E '^#[0-9]+.*(INITED|DONE)' "$log" | tail -n 2
  if [ $rc -ne 0 ]; then
    echo "!! $t failed (exit $rc); see fuzz/$log and fuzz/artifacts/$t/" >&2
    grep -E 'panicked|ERROR|Failing input|Test unit written' "$log" >&2
    failed+=("$t")
    continue
  fi
  if [ "${FUZZ_UPDATE_CORPUS:-0}" = 1 ]; then
    # Merge (what `cargo fuzz cmin` does) the work and committed corpora, recording each
    # input's edges and features, then keep at most 50 files that reach the most edges.
    control="target/merge-$t.control"
    rm -rf "$control" "target/min/$t" "target/pick/$t"
    mkdir -p "target/min/$t"
    if "target/$host/release/$t" -merge=1 -merge_control_file="$control" \
         "target/min/$t" "$work" "corpus/$t" > "target/merge-$t.log" 2>&1 \
       && python3 pick-corpus.py "$control" "target/pick/$t" 50 \
            $(cd "corpus/$t" && ls seed-* 2> /dev/null); then
      rm -rf "corpus/$t" && cp -r "target/pick/$t" "corpus/$t"
      echo "corpus/$t: $(find "corpus/$t" -type f | wc -l) files (merged corpus: $(find "target/min/$t" -type f | wc -l))"
    else
      echo "!! corpus update of $t failed; see fuzz/target/merge-$t.log" >&2
      failed+=("$t")
    fi
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
echo "all targets ran ${secs}s without a crash"
