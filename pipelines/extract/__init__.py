"""The extract step: from a source system into the landing tables of ``staging``.

``database.py`` streams database sources (a table or a query of the source
database) with ``COPY``; file feeds (events, partner boards, CRM) have parsers
of their own.
"""
