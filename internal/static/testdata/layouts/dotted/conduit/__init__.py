"""Conduit: a cookiecutter-flask style application."""
