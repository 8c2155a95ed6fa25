"""``kneeguide rules ...``: check and inspect rule sets, for the people who write them.

``validate`` and ``test`` load the rules without the cache, so what they check is
what is on disk. Findings go to stdout (``--format json`` for scripts), and a
failing check exits 1.
"""

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from kneeguide.cli.guard import guarded
from kneeguide.cli.options import RulesOption
from kneeguide.cli.settings import load
from kneeguide.errors import InputError, KneeguideError, Problem
from kneeguide.ids import ListFormat
from kneeguide.render import assert_never

if TYPE_CHECKING:
    from kneeguide.authoring.coverage import Leaf
    from kneeguide.authoring.testing import TestResult
    from kneeguide.ruleset.model import RuleSet

rules_app = typer.Typer(help="Check and inspect rule sets.", no_args_is_help=True)

RulesDir = Annotated[
    Optional[Path],  # noqa: UP045 - typer reads the annotations at run time
    typer.Argument(help="Rules directory (default: the built-in rules).", metavar="DIR"),
]
FormatOption = Annotated[ListFormat, typer.Option("--format", help="Output format.")]


@rules_app.command("validate")
@guarded
def rules_validate(directory: RulesDir = None) -> None:
    """Check a rule set: schema, cross-references, translations and every rule's examples."""
    from kneeguide.authoring.testing import run_tests
    from kneeguide.ruleset.load import load_rules

    rules = load_rules(directory, fresh=True)  # checked anew, then cached for the next run
    problems = [
        Problem(f"{r.name}: {'; '.join(r.problems)}", r.location)
        for r in run_tests(rules)
        if r.kind == "example" and r.status == "failed"
    ]
    if problems:
        raise KneeguideError(problems)
    typer.echo("\n".join(_valid_lines(rules)), err=True)


def _valid_lines(rules: "RuleSet") -> list[str]:
    """What ``rules validate`` says of a valid rule set: its size and digest; a custom set
    is called so, with the built-in version it was checked against (as every output labels
    it), and then each red flag it switches off and each safety text it rewords, one line
    each, with the reason it gives."""
    from kneeguide.engine.announced import rules_used

    used = rules_used(rules)
    size = f"{len(rules.questions)} questions, {len(rules.red_flags)} red flags, {len(rules.causes)} causes"
    if not used.custom:
        return [f"{rules.source}: rule set {rules.version} is valid ({size}; {rules.digest})"]
    from kneeguide.render.common import rules_label

    lines = [f"{rules.source}: {rules_label(used, rules, 'en')} is valid ({size})"]
    lines += [
        f"{rules.source}: switches off the red flag '{flag}' ({reason})" for flag, reason in used.disabled
    ]
    lines += [f"{rules.source}: rewords {text} ({reason})" for text, reason in used.reworded]
    return lines


@rules_app.command("test")
@guarded
def rules_test(directory: RulesDir = None, fmt: FormatOption = ListFormat.TEXT) -> None:
    """Run every rule's examples and every tests: case; exit 1 if any fails."""
    from kneeguide.authoring.testing import run_tests
    from kneeguide.ruleset.load import load_rules

    results = run_tests(load_rules(directory, use_cache=False))
    counts = {k: sum(1 for r in results if r.status == k) for k in ("passed", "failed", "todo")}
    if fmt is ListFormat.JSON:
        doc = {"evaluated": len(results), **counts, "results": _result_rows(results)}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    elif fmt is ListFormat.TEXT:
        for r in results:
            if r.status != "passed":
                where = f"{r.location}: " if r.location else ""
                sys.stdout.write(f"{where}{r.status.upper()}: {r.name}: {'; '.join(r.problems)}\n")
        sys.stdout.write(
            f"{len(results)} evaluated: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['todo']} todo\n"
        )
    else:
        assert_never(fmt)
    if counts["failed"]:
        raise typer.Exit(1)


def _result_rows(results: "list[TestResult]") -> list[dict[str, Any]]:
    return [
        {
            "name": r.name,
            "kind": r.kind,
            "rule": r.rule,
            "status": r.status,
            "problems": list(r.problems),
            "location": str(r.location) if r.location else None,
        }
        for r in results
    ]


@rules_app.command("coverage")
@guarded
def rules_coverage(directory: RulesDir = None, fmt: FormatOption = ListFormat.TEXT) -> None:
    """Which condition leaves of red flags and scores some test makes decisive; exit 1 if a
    red-flag leaf is untested."""
    from kneeguide.authoring.coverage import coverage
    from kneeguide.ruleset.load import load_rules

    rules = load_rules(directory, use_cache=False)
    leaves = coverage(rules)
    flag_ids = {f.id for f in rules.red_flags}
    untested_flags = [x for x in leaves if not x.covered and x.rule in flag_ids]
    covered = sum(1 for x in leaves if x.covered)
    if fmt is ListFormat.JSON:
        sys.stdout.write(_coverage_json(leaves, covered, len(untested_flags)))
    elif fmt is ListFormat.TEXT:
        for x in leaves:
            if not x.covered:
                where = f"{x.location}: " if x.location else ""
                sys.stdout.write(f"{where}untested: {x.rule} ({x.part}) {x.text}\n")
        sys.stdout.write(
            f"{covered} of {len(leaves)} condition leaves are decisive in some test; "
            f"{len(untested_flags)} red-flag leaves untested\n"
        )
    else:
        assert_never(fmt)
    if untested_flags:
        raise typer.Exit(1)


def _coverage_json(leaves: "list[Leaf]", covered: int, untested_flags: int) -> str:
    items = [{"rule": x.rule, "part": x.part, "leaf": x.text, "covered": x.covered} for x in leaves]
    body = {"leaves": len(leaves), "covered": covered, "untested_red_flag_leaves": untested_flags}
    return json.dumps({**body, "items": items}, indent=2) + "\n"


@rules_app.command("diff")
@guarded
def rules_diff(
    directory: Annotated[Path, typer.Argument(help="A custom rules directory.", metavar="DIR")],
) -> None:
    """Show what a custom rule set changes compared with the built-in rules."""
    from kneeguide.authoring.diff import diff
    from kneeguide.ruleset.load import load_rules

    lines = diff(load_rules(directory, use_cache=False), load_rules())
    sys.stdout.write("".join(line + "\n" for line in lines) or "no changes\n")


@rules_app.command("schema")
@guarded
def rules_schema(
    name: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(help="A rule file name, e.g. red_flags.yaml (default: all, by file).", metavar="FILE"),
    ] = None,
) -> None:
    """Print the JSON Schema of the rule files (the loader's own schema)."""
    from kneeguide.ruleset.schema import FILES, json_schema

    if name is None:
        sys.stdout.write(json.dumps({n: json_schema(n) for n in FILES}, indent=2) + "\n")
        return
    if name not in FILES:
        from kneeguide.suggest import did_you_mean

        raise InputError([Problem(f"no rule file '{name}'{did_you_mean(name, list(FILES))}")])
    sys.stdout.write(json.dumps(json_schema(name), indent=2) + "\n")


@rules_app.command("explain")
@guarded
def rules_explain(
    rule_id: Annotated[
        str, typer.Argument(help="A red flag, score, cause, floor or question id.", metavar="ID")
    ],
    rules_dir: RulesOption = None,
) -> None:
    """Print a rule's wording, condition, references and examples."""
    from kneeguide.authoring.describe import describe_rule

    sys.stdout.write(describe_rule(load(rules_dir), rule_id))


@rules_app.command("strings")
@guarded
def rules_strings(
    lang: Annotated[str, typer.Option("--lang", help="The language to list translations for.")] = "ja",
    missing: Annotated[
        bool,
        typer.Option(
            "--missing", help="Only the texts whose translation is missing, a draft or out of date."
        ),
    ] = False,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Rewrite DIR's gettext catalogues (locale/LANG/*.po): add untranslated texts, "
            "keep a reworded "
            "text's translation as a draft beside its old English, drop entries no text has.",
        ),
    ] = False,
    directory: RulesDir = None,
) -> None:
    """List every text of the rules beside its translation, with its id and review state.

    States: reviewed (shown to readers), draft (fuzzy in its catalogue), changed (made from
    English since reworded) and missing; only reviewed translations are ever shown.
    """
    from kneeguide.authoring.strings import catalogue_update, string_rows

    if update:
        if directory is None:
            raise InputError(
                [
                    Problem(
                        "--update writes into a rules directory: give it "
                        "(kneeguide rules strings --update DIR)"
                    )
                ]
            )
        from kneeguide.files import write_atomic

        catalogues, dropped = catalogue_update(directory, lang)
        for name, data in catalogues.items():
            target = directory / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.read_bytes() != data:
                write_atomic(target, data, private=False)
                sys.stderr.write(f"updated {target}\n")
        for text_id in dropped:
            sys.stderr.write(f"dropped {lang} translation of '{text_id}': no text has this id\n")
        return
    import yaml

    rows = [row for row in string_rows(directory, lang) if not missing or row.state != "reviewed"]
    listed = [
        {
            "id": row.id,
            "state": row.state,
            "en": row.english,
            **({"was": row.previous} if row.previous else {}),
            lang: row.translation,
        }
        for row in rows
    ]
    sys.stdout.write(
        yaml.safe_dump(listed, allow_unicode=True, sort_keys=False, width=1000) if listed else ""
    )
    if missing and not listed:  # an empty listing should not look like a failure to read
        sys.stderr.write(f"every text has a reviewed '{lang}' translation\n")
