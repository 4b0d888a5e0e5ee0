"""The linear-time check itself: a backtracking regex fails it, a linear scan passes."""
import re

import pytest

from scaling import assert_linear, repeated


def test_quadratic_regex_fails_the_check():
    # "a*c" on "aaaa…" tries every start position and scans to the end from each: quadratic
    with pytest.raises(AssertionError, match="superlinear"):
        assert_linear(lambda text: re.findall(r"a*c", text), repeated("a"), 20_000)


def test_linear_scan_passes_the_check():
    assert_linear(lambda text: re.findall(r"a", text), repeated("a"), 20_000)
