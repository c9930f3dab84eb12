#ifndef CONVERGE_CZOOKEEPER_SHIM_H
#define CONVERGE_CZOOKEEPER_SHIM_H
/* The synchronous API (zoo_create, zoo_wget, ...) is declared only for the multi-threaded client. */
#ifndef THREADED
#define THREADED
#endif
#include <zookeeper/zookeeper.h>

/* ZOO_OPEN_ACL_UNSAFE is a mutable C global, which Swift 6 refuses to touch: hand out its address. */
static inline struct ACL_vector *converge_zoo_open_acl(void) { return &ZOO_OPEN_ACL_UNSAFE; }
#endif
