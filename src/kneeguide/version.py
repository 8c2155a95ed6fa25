"""kneeguide's release, in one place: the package, the JSON assessment, the cache key.

A module of its own, importing nothing, so that any stage of the pipeline can name
the release without importing the package's library API.
"""

__version__ = "0.1.0"
