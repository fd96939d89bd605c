"""Example reports bundled with airtally (texts written for the project, real figures).

``examples.yaml`` lists each file with its publication time (Kyiv), source and kind
(national / regional / news); ``airtally demo`` reads them.
"""
