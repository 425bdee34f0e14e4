"""Views of the consents app."""
