/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Users, API tokens, sessions, grants and the audit log of an installation
 * (several municipalities on one store). The municipality is the tenant; a
 * grant gives a user or a token one role in one municipality, or makes a
 * user an installation operator (municipality 0), who administers the
 * installation and sees no municipality's data without a grant there.
 *
 * Secrets: passwords are hashed with argon2id (libsodium crypto_pwhash_str,
 * INTERACTIVE limits: about 0.1 s and 64 MiB per check, so a password is
 * checked at login only, never per request). Tokens ("kmt_<id>_<secret>",
 * 256 random bits) and session ids are stored only as a keyed BLAKE2b hash
 * (crypto_generichash with the installation's key); they are shown once, at
 * creation. No function here logs or returns a secret except the *_create
 * functions' out-buffers.
 *
 * Threads: every function takes a kmt_store, used by one thread at a time
 * (see store.h); kmt_principal values are plain data and may be copied.
 * Errors: 0, or a KMT_E* code with e filled: KMT_EAUTH (no valid credentials:
 * wrong password, unknown user, malformed, expired or revoked token or
 * session; the message never says which of these), KMT_EDENIED (valid
 * credentials, not allowed), KMT_EINVAL (a bad name or role, naming the
 * field), KMT_ECONFLICT (a name that exists), KMT_ENOTFOUND, KMT_EIO (store).
 */
#ifndef KOMMUTE_AUTH_H
#define KOMMUTE_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "kommute/core.h"

typedef struct kmt_store kmt_store;

/* Roles per municipality, each allowing what the ones below it allow. */
typedef enum kmt_role {
    KMT_ROLE_NONE = 0,
    KMT_ROLE_VIEWER = 1,  /* map, dashboards, reports */
    KMT_ROLE_PLANNER = 2, /* plans, carpools, bookings, home care */
    KMT_ROLE_FLEET = 3,   /* imports, vehicles, sites */
    KMT_ROLE_ADMIN = 4    /* users and tokens of the municipality, the audit log */
} kmt_role;

/* "viewer", "planner", "fleet", "admin" ("none" for KMT_ROLE_NONE). */
const char *kmt_role_name(kmt_role r);
/* Parse a role name; KMT_EINVAL naming field "role" and the value otherwise. */
int kmt_role_parse(const char *s, kmt_role *out, kmt_error *e);

#define KMT_AUTH_MAX_GRANTS 64   /* grants of one principal */
#define KMT_AUTH_NAME_MAX 64     /* bytes of a user or token name, NUL included */
#define KMT_AUTH_PASSWORD_MIN 10 /* characters of a password at least */
#define KMT_AUTH_PASSWORD_MAX 256
#define KMT_AUTH_TOKEN_MAX 128    /* bytes of a printed token, NUL included */
#define KMT_AUTH_SESSION_MAX 128  /* bytes of a session id or CSRF token, NUL included */
#define KMT_AUTH_SESSION_S 28800  /* a session lasts 8 hours by default */

typedef struct kmt_grant {
    int64_t municipality; /* 0: the installation (operator) */
    kmt_role role;        /* for municipality 0: KMT_ROLE_ADMIN = operator */
} kmt_grant;

/* Who is asking: a user (by password or session) or a token. */
typedef struct kmt_principal {
    int64_t user_id;  /* 0 for a token */
    int64_t token_id; /* 0 for a user */
    char name[KMT_AUTH_NAME_MAX];
    int is_operator; /* an installation operator (grant on municipality 0) */
    size_t ngrants;
    kmt_grant grants[KMT_AUTH_MAX_GRANTS];
} kmt_principal;

/* The role p holds in municipality m (KMT_ROLE_NONE when none; an operator
 * holds none unless granted). */
kmt_role kmt_principal_role(const kmt_principal *p, int64_t municipality);

/* *any = 1 when the store holds at least one user or unrevoked token: the
 * server then requires authentication on every endpoint but /health and the
 * login. */
int kmt_auth_enabled(kmt_store *s, int *any, kmt_error *e);

/* ---- users ---------------------------------------------------------------- */

/* Add a user with a password (argon2id). KMT_ECONFLICT when the name exists;
 * KMT_EINVAL for an empty or over-long name or a password shorter than
 * KMT_AUTH_PASSWORD_MIN. Written in one transaction with its audit row. */
int kmt_auth_user_add(kmt_store *s, const char *name, const char *password, kmt_error *e);
int kmt_auth_user_passwd(kmt_store *s, const char *name, const char *password, kmt_error *e);
/* Remove a user, its grants and its sessions. */
int kmt_auth_user_remove(kmt_store *s, const char *name, kmt_error *e);
/* Give user `name` role r in municipality m (0 with KMT_ROLE_ADMIN: operator);
 * r = KMT_ROLE_NONE removes the grant. */
int kmt_auth_grant(kmt_store *s, const char *name, int64_t municipality, kmt_role r, kmt_error *e);

/* Check a password at login. An unknown user costs the same time as a wrong
 * password (a hash is checked against a dummy) and gets the same KMT_EAUTH.
 * On success p is filled. */
int kmt_auth_login(kmt_store *s, const char *name, const char *password, kmt_principal *p, kmt_error *e);

/* ---- tokens --------------------------------------------------------------- */

/* Create a token with role r in municipality m; out (KMT_AUTH_TOKEN_MAX bytes)
 * gets the token text, shown once; *id its id. */
int kmt_auth_token_create(kmt_store *s, int64_t municipality, kmt_role r, const char *name, char *out, size_t n,
                          int64_t *id, kmt_error *e);
/* Revoke a token: it stops working at once (every check reads the store). */
int kmt_auth_token_revoke(kmt_store *s, int64_t id, kmt_error *e);
/* The principal of a presented token, or KMT_EAUTH (malformed, unknown, revoked). */
int kmt_auth_token_check(kmt_store *s, const char *token, kmt_principal *p, kmt_error *e);

/* ---- sessions (the page) -------------------------------------------------- */

/* Start a session for a logged-in user: sid and csrf (KMT_AUTH_SESSION_MAX
 * bytes each) get the session id (for the cookie) and the CSRF token. */
int kmt_auth_session_create(kmt_store *s, const kmt_principal *p, int ttl_s, char *sid, char *csrf, kmt_error *e);
/* The principal of a session and its CSRF token, or KMT_EAUTH (unknown, ended, expired). */
int kmt_auth_session_check(kmt_store *s, const char *sid, kmt_principal *p, char *csrf, kmt_error *e);
/* End a session (logout); an unknown sid is not an error. */
int kmt_auth_session_end(kmt_store *s, const char *sid, kmt_error *e);

/* ---- the audit log -------------------------------------------------------- */

/* Record a write: who (NULL: the command line's operating-system user), from
 * where ("cli", or the client's address), municipality (0: the installation),
 * action ("import trips", "user add", "token revoke", "share add", ...) and
 * what (a short JSON object or text; never a secret). */
int kmt_audit_add(kmt_store *s, const kmt_principal *who, const char *from, int64_t municipality, const char *action,
                  const char *what, kmt_error *e);

#endif
