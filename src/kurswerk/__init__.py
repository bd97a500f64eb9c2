"""kurswerk: course material for IQ from YAML curricula."""

__version__ = "0.1.0"
