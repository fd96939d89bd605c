"""The record: ingesting reports, importing the curated data set, merging, revisions, export."""
