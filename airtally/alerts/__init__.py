"""Air-raid alerts: data-set formats (pure parsers), import, storage, queries.

Never imports the attack record or the extractor; reads the ``attacks`` table directly.
"""
