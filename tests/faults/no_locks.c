/* A file system without POSIX locks, for tests/faults/locks.rs: preloaded into content-db, it
 * makes every lock request and lock query on a file fail with the errno in NO_LOCKS_ERRNO
 * (EINVAL when unset), as a network share without a lock service does; every other fcntl call
 * goes to the C library. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>

static int refused(int cmd) {
  if (cmd != F_SETLK && cmd != F_SETLKW && cmd != F_GETLK) return 0;
  const char *chosen = getenv("NO_LOCKS_ERRNO");
  errno = chosen ? atoi(chosen) : EINVAL;
  return 1;
}

/* fcntl and fcntl64 (what 64-bit file offsets call since glibc 2.28) alike. */
#define REFUSE_LOCKS(name)                                   \
  int name(int fd, int cmd, ...) {                           \
    va_list args;                                            \
    va_start(args, cmd);                                     \
    void *arg = va_arg(args, void *);                        \
    va_end(args);                                            \
    if (refused(cmd)) return -1;                             \
    static int (*next)(int, int, ...);                       \
    if (!next) next = (int (*)(int, int, ...))dlsym(RTLD_NEXT, #name); \
    return next(fd, cmd, arg);                               \
  }

REFUSE_LOCKS(fcntl)
REFUSE_LOCKS(fcntl64)
