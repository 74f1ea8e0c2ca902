"""The progress bar ends its own line, so a message after Ctrl-C or an error starts on a fresh one."""

from __future__ import annotations

import io

import pytest

from simulator.run.progress import ProgressBar


def test_an_unfinished_bar_ends_its_line_when_the_block_ends():
    stream = io.StringIO()
    with pytest.raises(KeyboardInterrupt), ProgressBar("simulating", unit="replications", stream=stream) as bar:
        bar(1, 4)
        raise KeyboardInterrupt
    assert stream.getvalue().endswith("1/4 replications (0 s)\n")


def test_a_finished_bar_is_not_given_a_second_newline():
    stream = io.StringIO()
    with ProgressBar("simulating", stream=stream) as bar:
        bar(0, 2)
        bar(2, 2)
    assert stream.getvalue().count("\n") == 1
