"""Views of the community app."""
