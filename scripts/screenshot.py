"""Take a PNG screenshot of a graph page in headless Debian chromium, offline.

Usage: python scripts/screenshot.py PAGE.html OUT.png [--width 1280 --height 800]

Every request that is not ``file://`` is aborted and reported; the script
exits 1 when the page tried to reach the network or logged an error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["main", "take_screenshot"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def take_screenshot(
    page_path: Path, out: Path, *, width: int = 1280, height: int = 800
) -> list[str]:
    """Open a page from disk with the network cut off and save a screenshot.

    Args:
        page_path: The HTML page.
        out: The PNG to write.
        width: Viewport width in CSS pixels.
        height: Viewport height in CSS pixels.

    Returns:
        The problems seen: blocked requests, console errors, page errors.
    """
    from playwright.sync_api import sync_playwright

    problems: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            problems.append(f"blocked request: {r.request.url}")
            r.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            context.route("**/*", route)
            page = context.new_page()
            page.on(
                "console",
                lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None,
            )
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.goto(page_path.resolve().as_uri())
            try:
                page.wait_for_function("document.body.dataset.kgReady === 'true'", timeout=30_000)
            except Exception:  # not a rawabit page, or a very large graph: take what is drawn
                page.wait_for_timeout(3_000)
            page.wait_for_timeout(500)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), full_page=False)
        finally:
            browser.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).

    Returns:
        The exit status: 0 when the page loaded cleanly, 1 otherwise.
    """
    parser = argparse.ArgumentParser(
        description="Screenshot a graph page in headless chromium, offline."
    )
    parser.add_argument("page", type=Path, help="the HTML page")
    parser.add_argument("out", type=Path, help="the PNG to write")
    parser.add_argument("--width", type=int, default=1280, help="viewport width (default 1280)")
    parser.add_argument("--height", type=int, default=800, help="viewport height (default 800)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"Error: {CHROMIUM} is missing; apt-get install chromium", file=sys.stderr)
        return 1
    if not args.page.is_file():
        print(f"Error: no such page {str(args.page)!r}", file=sys.stderr)
        return 1
    problems = take_screenshot(args.page, args.out, width=args.width, height=args.height)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(args.out)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
