"""The library API's examples run as written: the package docstring's and each function's."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

import kneeguide
from kneeguide import api


@pytest.mark.parametrize("module", [kneeguide, api], ids=["kneeguide", "kneeguide.api"])
def test_the_docstring_examples_run_and_print_what_they_say(module: ModuleType) -> None:
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert attempted > 0, "the module shows an example"
    assert failed == 0
