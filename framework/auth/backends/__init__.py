"""The authentication backends, one module each; API_AUTHENTICATION names them (see `choices`)."""
