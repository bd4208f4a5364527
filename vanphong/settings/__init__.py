"""Settings modules: `base` (everything, from environment variables), `dev` (the demo), `test`, `production`."""
