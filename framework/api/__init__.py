"""The REST API layer: base viewsets (`viewsets`), the router apps register with (`routers.router`),
one error format (`exceptions`, `problems`, `handlers`), pagination and filters.

Import the modules (`from framework.api import viewsets`), as with DRF: this
package imports nothing itself, because DRF loads the backends named in its
settings while its own modules are still being imported.
"""
