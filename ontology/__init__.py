"""The vocabulary (OWL in Turtle, SHACL shapes) and the curated reference data.

Every stage reads this package; it depends on nothing else in the project.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "data"
ONTOLOGY_TTL = HERE / "crd.ttl"
SHAPES_TTL = HERE / "shapes.ttl"
