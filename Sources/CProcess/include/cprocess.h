#ifndef QWERY_CPROCESS_H
#include <stddef.h>
#define QWERY_CPROCESS_H
#include <spawn.h>

// glibc calls that Swift's Glibc module hides behind _GNU_SOURCE.

/// pipe2(fds, O_CLOEXEC): neither end leaks into a child started meanwhile on another thread.
int qwery_pipe_cloexec(int fds[2]);
/// posix_spawn_file_actions_addclosefrom_np: the child closes every descriptor from `lowest` up.
int qwery_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);
/// socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC): a two-way channel to a long-lived worker.
int qwery_socketpair_cloexec(int fds[2]);
/// send(…, MSG_NOSIGNAL): writing to a worker that died fails with EPIPE instead of raising SIGPIPE.
long qwery_send_nosignal(int fd, const void *bytes, unsigned long count);
/// A sealed-in-memory copy of `count` bytes (memfd_create, close-on-exec), positioned at its start; -1 on
/// failure. A document's extraction worker reads exactly the bytes the indexer hashed, even when the file
/// is rewritten meanwhile.
int qwery_memory_file(const void *bytes, unsigned long count);
/// A listening Unix-domain stream socket at `path` (close-on-exec), mode 0600 before anyone can connect; -1 with
/// errno on failure (EADDRINUSE when the path exists).
int qwery_unix_listen(const char *path);
/// A connection to the Unix-domain socket at `path` (close-on-exec), with send/receive timeouts of `seconds`; -1
/// with errno on failure (ENOENT: no socket; ECONNREFUSED: a stale one).
int qwery_unix_connect(const char *path, int seconds);
/// accept4(…, SOCK_CLOEXEC).
int qwery_unix_accept(int listener);
/// The user id of the process at the other end of a Unix-domain connection (SO_PEERCRED); -1 on failure.
long qwery_peer_uid(int fd);
/// The path a listening Unix-domain socket is bound to (into `path`, NUL-terminated); -1 when `fd` is not one.
int qwery_unix_socket_path(int fd, char *path, size_t capacity);
/// Whether the other end of a connected socket has closed or shut down its side (never blocks).
int qwery_peer_closed(int fd);
/// SO_RCVTIMEO and SO_SNDTIMEO of `seconds` on a socket.
int qwery_socket_timeouts(int fd, int seconds);
#endif
