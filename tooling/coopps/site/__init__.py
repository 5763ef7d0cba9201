"""The public catalogue: an mkdocs plugin that turns the register into a French static site.

Only `model.py` reads the register's data; everything else (pages, exports,
search index, feed) sees the allow-listed public records it builds.
"""
