"""Every file's builder, in the order that lets each one check against the ones before.

References and questions first (everything else cites and asks), then scores
(red flags may read them), red flags and the rule tests, causes (acupuncture
names them), triage, dispositions, acupuncture and messages; the whole-set
checks last. Problems are collected all the way through; any problem means no
rule set at all.
"""

from __future__ import annotations

from kneeguide.errors import RulesError
from kneeguide.ruleset.build.acupuncture import acupuncture
from kneeguide.ruleset.build.causes import causes, triage
from kneeguide.ruleset.build.checks import check_cited, check_contract, check_default_region, sorted_problems
from kneeguide.ruleset.build.context import Context
from kneeguide.ruleset.build.dispositions import dispositions, messages
from kneeguide.ruleset.build.flags import red_flags, rule_tests, scores, switch_off
from kneeguide.ruleset.build.questions import questions, references
from kneeguide.ruleset.files import digest_of
from kneeguide.ruleset.model import RuleSet


def rule_set(ctx: Context) -> RuleSet:
    """The rule set of ``ctx``'s files; :class:`RulesError` listing every problem, in file order."""
    meta = ctx.docs["ruleset.yaml"]
    refs = references(ctx)
    sections = questions(ctx)
    built_scores = scores(ctx)
    flags = red_flags(ctx)
    known_flags = {f.id for f in flags}
    off = {flag_id for flag_id, _ in ctx.disabled}
    switched_off = tuple(f for f in flags if f.id in off)
    flags = switch_off(ctx, flags)
    tests = rule_tests(ctx, known_flags | {d for d, _ in ctx.disabled})
    found_causes, ranking = causes(ctx)
    floors, no_cause, not_excluded = triage(ctx)
    regions, by_level = dispositions(ctx)
    points = acupuncture(ctx, {c.id for c in found_causes})
    texts = messages(ctx)
    check_contract(ctx, flags, found_causes, built_scores, regions)
    check_cited(ctx, refs)
    check_default_region(ctx, regions)
    title = ctx.text(meta, "title")
    ctx.check_catalogues()
    if ctx.problems:
        raise RulesError(sorted_problems(ctx.problems))
    return RuleSet(
        version=str(meta["version"]),
        digest=digest_of(ctx.files),
        title=title,
        languages=ctx.languages,
        incomplete={lang: ctx.fallbacks.get(lang, 0) for lang in ctx.incomplete},
        default_region=meta["default_region"],
        sections=sections,
        questions=ctx.questions,
        red_flags=flags,
        scores=built_scores,
        causes=found_causes,
        ranking=ranking,
        floors=floors,
        no_cause_level=no_cause,
        not_excluded_level=not_excluded,
        regions=regions,
        dispositions=by_level,
        acupuncture=points,
        messages=texts,
        references=refs,
        source=ctx.source,
        skippable=tuple(q for q in ctx.questions.values() if q.type == "yn" and q.ask_if is not None),
        disabled=ctx.disabled,
        switched_off=switched_off,
        reworded=ctx.reworded,
        tests=tests,
    )
