"""drf-spectacular: describe SessionJWTAuthentication as a bearer JWT scheme (its simplejwt
extension does not match subclasses). Imported from AccountsConfig.ready()."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class SessionJWTScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.SessionJWTAuthentication"
    name = "jwtAuth"

    def get_security_definition(self, auto_schema):  # drf-spectacular hook
        return build_bearer_security_scheme_object(
            header_name="HTTP_AUTHORIZATION",
            token_prefix="Bearer",  # noqa: S106 - the scheme's name, not a secret
            bearer_format="JWT",
        )
