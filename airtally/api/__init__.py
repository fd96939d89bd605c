"""The HTTP API and the dashboard's server: ``airtally serve`` (FastAPI on uvicorn).

Routes are adapters: they parse the request, call one library function (airtally.analytics,
airtally.record, airtally.alerts, airtally.storage) and shape the answer. The app is built by
``airtally.api.app.create_app(database, settings)``.
"""
