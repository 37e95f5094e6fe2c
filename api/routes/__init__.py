"""The service's routers, one module per subject; ``api.app`` includes them."""
