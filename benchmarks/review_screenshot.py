"""A picture of `lessonbook review`'s pull-request comment as GitHub shows it, for the docs.

    python benchmarks/review_screenshot.py COMMENT.md docs/images/review-comment.png [--open]

Renders the Markdown with cmarkgfm (GitHub's cmark) when installed, else python-markdown,
in a page styled like a GitHub comment (our own small stylesheet), and photographs it with
headless Chromium (/usr/bin/chromium) through Playwright. --open unfolds every <details>.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
STYLE = """
body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans",
  Helvetica, Arial, sans-serif; color: #1f2328; }
.comment { width: 860px; margin: 16px; background: #fff; border: 1px solid #d1d9e0;
  border-radius: 6px; }
.head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px;
  border-radius: 6px 6px 0 0; color: #59636e; }
.head b { color: #1f2328; }
.body { padding: 8px 16px 16px; }
h3 { font-size: 1.25em; margin: 16px 0 8px; border-bottom: 1px solid #d1d9e0;
  padding-bottom: .3em; }
h4 { font-size: 1em; margin: 20px 0 4px; }
p, ul, ol, details { margin: 0 0 10px; }
ul, ol { padding-left: 2em; }
a { color: #0969da; text-decoration: none; }
code { font: 85% ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; padding: .2em .4em;
  background: rgba(129, 139, 152, .12); border-radius: 6px; }
summary { cursor: pointer; }
sub { color: #59636e; }
"""


def render(text: str) -> str:
    try:
        import cmarkgfm
        from cmarkgfm.cmark import Options

        return cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    except ImportError:
        import markdown

        return markdown.markdown(text, extensions=["tables"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("comment", type=Path)
    parser.add_argument("image", type=Path)
    parser.add_argument("--open", action="store_true", help="unfold every <details>")
    args = parser.parse_args()
    body = render(args.comment.read_text(encoding="utf-8"))
    if args.open:
        body = body.replace("<details>", "<details open>")
    page = (f"<!doctype html><meta charset=utf-8><style>{STYLE}</style><div class=comment>"
            "<div class=head><b>github-actions</b> bot commented</div>"
            f"<div class=body>{body}</div></div>")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            tab = browser.new_page(viewport={"width": 900, "height": 600},
                                   device_scale_factor=1)
            tab.set_content(page)
            tab.locator(".comment").screenshot(path=str(args.image))
        finally:
            browser.close()
    print(f"wrote {args.image}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
