"""Batch assessment: one output record per input record, streamed, in order.

Input is JSON Lines (one answer set per line, an optional ``id`` field) or CSV
(header = question ids, an optional ``id`` column, an empty cell = unknown).
A record that cannot be assessed yields an error record naming the row, the
field and the problem, and the run goes on. Memory stays flat whatever the file
size: records are read, assessed and written in blocks. With several workers
the blocks are shared out and the output order is still the input order.

The stages, in the order a record meets them:

* :mod:`opening` — an input opened (a file checked whole, a pipe as it arrives);
* :mod:`lines` — bytes into decoded lines of a bounded length;
* :mod:`reading` — JSON Lines into numbered records (:mod:`jsonlines` reads JSON quickly),
  :mod:`csv_records` — CSV into the same records;
* :mod:`split` — records into blocks;
* :mod:`blocks` — a block checked and decided together, output records in order;
* :mod:`records` — the batch record of one answer set (or of its problems);
* :mod:`output` — records as JSON Lines or CSV text; :mod:`tally` — the summary;
* :mod:`pool` — the blocks run here, or shared out in order among worker processes:
  :mod:`workers` starts, feeds and ends them, :mod:`worker` is what each one runs.

``kneeguide batch`` (``cli/batch.py``) and :func:`kneeguide.api.assess_batch` run them.
"""
