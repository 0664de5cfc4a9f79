"""The web app and JSON API (``newsdossier serve``): browse, search and add articles over a store."""

from .app import create_app

__all__ = ["create_app"]
