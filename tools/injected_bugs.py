"""Issue 16's injected bugs, each put back by hand: the tests that must kill it are run, and the
file is restored. ``python tools/injected_bugs.py`` (all), or name some: ``… 1a 4``.
Each line prints the tests that failed; "NOTHING" would mean a bug the suite no longer sees
(docs/testing.md, "The six injected bugs")."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: (name, file, the code as it is, the bug, the tests that must fail)
REGRESSIONS = "tests/test_regressions_ui.py"
INJ = [
    ("1a refreshed row (reload) no dataChanged", "journal/ui/models/reviews_model.py",
     "            spans = [(rows[0], rows[-1])] if rows else []\n",
     "            spans = []\n", [REGRESSIONS]),
    ("1b refreshed row (some) no dataChanged", "journal/ui/models/reviews_model.py",
     "            spans = runs(rows)\n", "            spans = []\n", [REGRESSIONS]),
    ("2a reviews quick filter AND->OR", "journal/core/review_rows.py",
     "        where += [_term_sql(n) for n in range(1, len(terms) + 1)]\n",
     "        where += ['(' + ' OR '.join(_term_sql(n) for n in range(1, len(terms) + 1)) + ')'] "
     "if terms else []\n",
     [REGRESSIONS, "tests/test_review_rows_query.py"]),
    ("2b films quick filter words AND->OR", "journal/core/catalogue_query.py",
     "    where += [_word_clause(w, params) for w in query.words]\n",
     "    where += ['(' + ' OR '.join(_word_clause(w, params) for w in query.words) + ')'] "
     "if query.words else []\n",
     ["tests/test_catalogue_core.py", "tests/test_catalogue_ui.py"]),
    ("3 tag de-dup removed", "journal/core/tags.py", "if clean and key not in seen:", "if clean:",
     ["tests/test_rules_once.py", REGRESSIONS]),
    ("4 max-unsaved timer removed", "journal/ui/autosave.py",
     "            self._max.start(max(MAX_UNSAVED_MS, round(self.last_save_ms * SAVE_SHARE)))",
     "            pass", [REGRESSIONS]),
    ("5 batched changes never delivered", "journal/core/events.py",
     "            pending, events._pending = events._pending, Changes()\n"
     "        events.emit(pending)",
     "            pending, events._pending = events._pending, Changes()",
     ["tests/test_core_changes.py", REGRESSIONS]),
    ("6 stale renders shown", "journal/ui/latest.py",
     "            if generation is None or generation != self._generation:",
     "            if generation is None:", [REGRESSIONS]),
]


def main() -> int:
    only = sys.argv[1:]
    missed = 0
    for name, path, old, new, tests in INJ:
        if only and name.split()[0] not in only:
            continue
        file = ROOT / path
        text = file.read_text(encoding="utf-8")
        if text.count(old) != 1:
            print(f"{name}: the code changed, {path} no longer holds the line to break")
            missed += 1
            continue
        file.write_text(text.replace(old, new), encoding="utf-8")
        try:
            run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                  *tests], cwd=ROOT, capture_output=True, text=True,
                                 env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        finally:
            file.write_text(text, encoding="utf-8")
        failed = [line.split(" - ")[0].removeprefix("FAILED ")
                  for line in run.stdout.splitlines() if line.startswith("FAILED")]
        missed += not failed
        print(f"{name}: killed by {', '.join(failed) or 'NOTHING'}", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
