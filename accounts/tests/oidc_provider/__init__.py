"""A small OpenID provider (django-oauth-toolkit) for the single sign-on tests.

It runs as its own process with its own SQLite database, settings read from the environment
that the test fixture sets (``accounts/tests/test_sso_browser.py``). Nothing here is part of
dutdiem: it stands in for a province's identity provider.
"""
