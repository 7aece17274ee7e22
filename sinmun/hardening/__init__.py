"""Hardening: the security headers every response carries and the production checks.

``headers.SecurityHeadersMiddleware`` sets the Content-Security-Policy, Permissions-Policy and
friends; ``checks`` registers ``sinmun check --deploy``'s own checks (docs/decisions/0023).
The desk's login protections (lockout, two-factor, password change) live in ``sinmun.desk``.
"""
