#include <git2.h>

/// `git_libgit2_opts` is variadic, which Swift cannot call: one non-variadic wrapper per option used.

/// Whether every object read is hashed again to check it against its id (libgit2's default: on).
static inline int converge_git_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}
