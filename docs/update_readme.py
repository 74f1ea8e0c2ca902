"""Regenerate the data dictionary in README.md from the column definitions (`make docs`)."""

import re
from pathlib import Path

from simulator.output.dictionary import data_dictionary_markdown

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- data-dictionary:start", "<!-- data-dictionary:end -->"


def render(text: str) -> str:
    """README text with the generated dictionary between the markers."""
    pattern = re.compile(re.escape(START) + r"[^\n]*\n.*?" + re.escape(END), re.S)
    head = re.search(re.escape(START) + r"[^\n]*\n", text).group(0)
    return pattern.sub(lambda m: head + data_dictionary_markdown() + END, text)


if __name__ == "__main__":
    README.write_text(render(README.read_text()))
