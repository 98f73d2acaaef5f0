"""The README says only what is true: every example run it shows gives the figures it prints."""

from __future__ import annotations

import glob
import re
import shlex
from pathlib import Path

import pytest

from baymap import build_map

ROOT = Path(__file__).resolve().parents[1]
#: An example in the README: a `$ build-map …` line, then the summary line it printed.
EXAMPLE = re.compile(r"^\$ (build-map [^\n]+)\n(mapped [^\n]+)$", re.MULTILINE)
FIGURES = re.compile(r"mapped (\d+) places.*\((\d+) mentions\) from (\d+) reports?; (\d+) unresolved")


def readme_examples() -> list[tuple[str, str]]:
    return EXAMPLE.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def test_the_readme_has_examples_to_check():
    assert len(readme_examples()) >= 2


@pytest.mark.parametrize(("command", "printed"), readme_examples())
def test_each_readme_example_prints_what_the_readme_shows(command, printed, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    words = shlex.split(command)[1:]
    args = [match for word in words for match in (sorted(glob.glob(word)) if "*" in word else [word])]
    if any(a.startswith("../shared") for a in args) and not (ROOT.parent / "shared").is_dir():
        pytest.skip("the development texts in ../shared are not beside this checkout")
    output = args.index("-o") + 1
    args[output] = str(tmp_path / args[output])
    assert build_map.main(args) == 0
    shown = FIGURES.search(printed).groups()
    got = FIGURES.search(capsys.readouterr().out).groups()
    assert got == shown, f"README says {printed!r}; the run gives {got}"


def test_every_image_the_readme_shows_is_in_the_repository():
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert images
    for image in images:
        assert (ROOT / image).is_file(), image
