"""Calibration targets (data) and the report that compares them with the model."""
