"""Notifications: endpoints (webhooks, ntfy topics), and the loop that delivers the outbox's
events to them, at least once, signed, retried with backoff (see ``airtally.notify.delivery``)."""
