"""The database: schema, migrations and repositories. Never imports extraction."""
