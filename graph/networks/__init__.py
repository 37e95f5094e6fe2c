"""Networks to look at: networkx graphs built from the store (``graphs``) and their
PyVis rendering as self-contained pages (``render``)."""
