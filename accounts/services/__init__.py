"""Every write of the accounts app, by topic; import from here: `from accounts import services`.

- `signup`: sign-up, the resend of its codes, activation;
- `codes`: verification codes (issue, email, check, consume, the per-account guess limit);
- `sessions`: login, refresh, revocation;
- `passwords`: the signed-in change, the reset by code;
- `members`: the member's own changes, the staff's suspend and reactivate, the profile shell;
- `withdrawal`: withdrawal (and the erasure it shares) and the purge of a withdrawn member's files;
- `guardians`: a child's guardian: request, consent with the code, revocation, the erasure when
  consent is not given again, the age check after a birth date changed (issue #17);
- `housekeeping`: the nightly purge of dead sessions, codes and sent emails;
- `inputs`: the email and password checks the services share.

Two services are deliberately *not* one transaction: `member_verify` / `password_reset_confirm`
(a wrong code must be counted although the request then fails) and `session_refresh` (reuse of a
dead refresh token must revoke the session although the request then fails with 401). Their
views opt out of ATOMIC_REQUESTS; each step inside them is its own `transaction.atomic` block.

Reads are in accounts.selectors.
"""

from accounts.services.codes import (
    ACCOUNT_WRONG_CODES_PER_HOUR,
    CODE_LIFETIME,
    CODE_MAX_ATTEMPTS,
    SIGNUP_CODES_LIVE,
    WRONG_CODES_WINDOW,
    code_check,
    code_consume,
    code_email,
    code_issue,
)
from accounts.services.guardians import (
    GUARDIAN_CODE_LIFETIME,
    GUARDIAN_REVOCATION_GRACE,
    guardian_consent_give,
    guardian_consent_renew,
    guardian_consent_revoke,
    guardian_request,
    guardian_request_resend,
    guardians_unconsented_erase,
    member_age_recheck,
)
from accounts.services.housekeeping import (
    DEAD_CODE_RETENTION,
    DEAD_SESSION_RETENTION,
    auth_records_purge,
)
from accounts.services.members import (
    member_reactivate,
    member_sending_pause,
    member_sending_resume,
    member_storage_prefix,
    member_suspend,
    member_update,
    profile_prepare,
)
from accounts.services.passwords import (
    password_change,
    password_reset_confirm,
    password_reset_request,
)
from accounts.services.sessions import (
    WWW_AUTHENTICATE,
    LoginResult,
    session_login,
    session_refresh,
    session_revoke,
    session_revoke_own,
    sessions_revoke_all,
)
from accounts.services.signup import (
    SIGNUP_RESEND_WINDOW,
    SignupResult,
    member_signup,
    member_verify,
    verification_resend,
)
from accounts.services.withdrawal import member_erase, member_withdraw, storage_prefix_purge

__all__ = [
    "ACCOUNT_WRONG_CODES_PER_HOUR",
    "CODE_LIFETIME",
    "CODE_MAX_ATTEMPTS",
    "DEAD_CODE_RETENTION",
    "DEAD_SESSION_RETENTION",
    "GUARDIAN_CODE_LIFETIME",
    "GUARDIAN_REVOCATION_GRACE",
    "SIGNUP_CODES_LIVE",
    "SIGNUP_RESEND_WINDOW",
    "WRONG_CODES_WINDOW",
    "WWW_AUTHENTICATE",
    "LoginResult",
    "SignupResult",
    "auth_records_purge",
    "code_check",
    "code_consume",
    "code_email",
    "code_issue",
    "guardian_consent_give",
    "guardian_consent_renew",
    "guardian_consent_revoke",
    "guardian_request",
    "guardian_request_resend",
    "guardians_unconsented_erase",
    "member_age_recheck",
    "member_erase",
    "member_reactivate",
    "member_sending_pause",
    "member_sending_resume",
    "member_signup",
    "member_storage_prefix",
    "member_suspend",
    "member_update",
    "member_verify",
    "member_withdraw",
    "password_change",
    "password_reset_confirm",
    "password_reset_request",
    "profile_prepare",
    "session_login",
    "session_refresh",
    "session_revoke",
    "session_revoke_own",
    "sessions_revoke_all",
    "storage_prefix_purge",
    "verification_resend",
]
