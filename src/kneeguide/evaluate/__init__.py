"""What the conditions of a rule set say about answer sets.

``conditions`` is the condition form and its definition (with ``grounds``, the
answers a value rests on); ``walk`` evaluates a rule set for one answer set by
that definition; ``compiled``, ``nodes`` and ``columns`` evaluate it for a block
of answer sets on bit masks; ``inferred`` holds what both infer beyond the
answers given (the implied "no", lay stand-ins); ``truth`` is what both return;
``memo`` remembers what repeats. Nothing here imports the rule-set or engine
packages at run time: rule-set types are named for the type checker only.
"""
