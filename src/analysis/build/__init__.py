"""The build: the declarative build list, provenance (hashes, keys, manifest), executing one notebook with papermill, the incremental parallel build and the static site."""
