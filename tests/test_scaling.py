"""The linear-time check itself: a backtracking regex fails it, a linear scan passes."""
import re

import pytest

from scaling import assert_linear, repeated


def test_quadratic_regex_fails_the_check():
    # "a*c" on "aaaa…" tries every start position and scans to the end from each: quadratic.
    # At 5,000 -> 20,000 characters it measured only ~12x (the limit is 10x plus SLACK_S) and
    # failed to fail under load; at 10,000 -> 40,000 it costs ~16x against a limit of ~10.3x.
    with pytest.raises(AssertionError, match="superlinear"):
        assert_linear(lambda text: re.findall(r"a*c", text), repeated("a"), 40_000)


def test_linear_scan_passes_the_check():
    assert_linear(lambda text: re.findall(r"a", text), repeated("a"), 20_000)
