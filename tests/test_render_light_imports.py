"""The renderer's dialect without its heavy hangers-on: ``~~struck~~`` and ``==marked==`` by
python-markdown's own processors, extensions as instances (no ``importlib.metadata`` scan),
fenced code without Pygments — and the same HTML for what reviews write."""

from __future__ import annotations

import subprocess
import sys

from journal.core.render import RenderOptions
from journal.core.render.markdown_dialect import Renderer

OPTIONS = RenderOptions(standalone=False, embed_line_anchors=False)


def body(text: str) -> str:
    return Renderer().render_body(text, OPTIONS).html


def test_struck_and_marked_text():
    assert body("A ~~bad~~ ==great== film") == \
        "<p>A <del>bad</del> <mark>great</mark> film</p>"
    assert body("~~a *very* long~~ night") == "<p><del>a <em>very</em> long</del> night</p>"
    assert body("==~~both~~==") == "<p><mark><del>both</del></mark></p>"
    assert body("~~x~~~") == "<p><del>x</del>~</p>"
    # markers that do not hug a word, comparisons and escapes stay as typed
    assert body("~~ loose ~~ and 2 == 2 and x == y == z") == \
        "<p>~~ loose ~~ and 2 == 2 and x == y == z</p>"
    assert body("~~loose ~~ ==lit ==") == "<p>~~loose ~~ ==lit ==</p>"
    assert body(r"\~~kept\~~ \==kept\==") == "<p>~~kept~~ ==kept==</p>"
    assert body("`~~code~~`") == "<p><code>~~code~~</code></p>"


def test_fenced_code_renders_plain_without_pygments():
    html = body("```python\nx = 1 < 2\n```")
    assert html == '<pre><code class="language-python">x = 1 &lt; 2\n</code></pre>'


def test_first_render_imports_no_metadata_scan_no_pygments_no_network_stack():
    code = ("import sys\nfrom journal.core.render import ReviewDocument, render_review\n"
            "render_review(ReviewDocument(body='# T\\n\\n```\\nx\\n```\\n\\n~~a~~ [^1]\\n\\n"
            "[^1]: n'))\n"
            "print(sorted(m for m in ('pygments', 'importlib.metadata', 'urllib.request', "
            "'ssl', 'pymdownx') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
