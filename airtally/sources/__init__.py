"""Following sources: Telegram channel previews, feeds, the watcher (the only package that fetches)."""
