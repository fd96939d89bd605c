"""Tallies, records and claim checks: read-only queries over the attack record.

- airtally.analytics.tally: launched/destroyed/lost and rates per day, ISO week, month, year;
- airtally.analytics.records: the largest attacks and months, as of any date;
- airtally.analytics.claims: checks "the largest attack since ..." wording against the record;
- airtally.analytics.notebook: ``airtally.open(db_url)`` for pandas users.
"""
