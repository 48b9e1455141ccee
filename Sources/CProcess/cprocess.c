#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>
#include <sys/socket.h>
#include "cprocess.h"

int qwery_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int qwery_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

int qwery_socketpair_cloexec(int fds[2]) { return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds); }

long qwery_send_nosignal(int fd, const void *bytes, unsigned long count) { return send(fd, bytes, count, MSG_NOSIGNAL); }
