"""The annotate plugin's views: the JSON API and the editor pages."""
