"""The load benchmark of cognito-forms: `make bench` (see bench/README.md)."""
