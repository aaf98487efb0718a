"""The directory of help: national organisations shipped as data, and each site's local entries."""
