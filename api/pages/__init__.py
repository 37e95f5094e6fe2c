"""Pages in HTML: the home page and a node's page."""
