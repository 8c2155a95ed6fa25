"""Rule files → a checked, cached :class:`~kneeguide.ruleset.model.RuleSet`.

``load.load_rules`` is the one loader: ``files`` finds and reads the rule
files and names their contents by digest; ``cache`` returns the rule set
validated before for that digest; on a miss ``build`` (with ``schema`` and
``yamlio``) builds and checks it; a custom set is then proved never weaker
than the built-in set (``proof``, the solver) and checked for reworded safety
texts (``protected``). ``model`` holds the rule-set types,
``answers`` checks answer sets against the questions, and ``contract`` lists
the ids scripts rely on. Imports run one way, with no cycle; within the
package only :mod:`load` imports the builder, and below the package are only
the conditions' evaluator (:mod:`kneeguide.evaluate`) and the shared helpers.
"""
