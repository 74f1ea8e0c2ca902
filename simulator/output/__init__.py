"""Outputs: tables, metrics, summaries, reports and exports."""
