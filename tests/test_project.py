"""The project's own metadata: what `pip install` and `python -m bot --help` show."""

from __future__ import annotations

import re
import tomllib

from bot import cli
from bot.settings import PROJECT_ROOT


def test_no_dependency_is_listed_twice():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower() for requirement in project["dependencies"]]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_the_help_summary_names_every_command():
    summary = cli.build_parser().format_help().split("positional arguments")[0]
    commands = cli.build_parser()._subparsers._group_actions[0].choices  # argparse has no public list of them
    for name in commands:
        assert re.search(rf"^\s+{name}\b", summary, re.MULTILINE), f"{name} missing from the summary"
