"""The implementation dashboard: uptake, reach, use, support and maintenance figures."""
