"""Psychoeducation modules: content loaded from Markdown files, reading progress, exercises, toolbox."""
