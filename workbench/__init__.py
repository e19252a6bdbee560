"""Claim Workbench: find the same claim across outlets and languages, and record verdicts."""

__version__ = "0.1.0"
