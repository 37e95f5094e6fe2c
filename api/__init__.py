"""The product's front ends: the ``kg`` command and the HTTP service."""
