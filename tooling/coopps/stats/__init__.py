"""Steering figures: facts from the register and its history, tables, output."""
