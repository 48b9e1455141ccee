#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include "cprocess.h"

int qwery_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int qwery_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

int qwery_socketpair_cloexec(int fds[2]) { return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds); }

long qwery_send_nosignal(int fd, const void *bytes, unsigned long count) { return send(fd, bytes, count, MSG_NOSIGNAL); }

int qwery_memory_file(const void *bytes, unsigned long count) {
    int fd = memfd_create("qwery-document", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) return -1;
    const char *cursor = bytes;
    unsigned long left = count;
    while (left > 0) {
        ssize_t written = write(fd, cursor, left);
        if (written < 0) {
            if (errno == EINTR) continue;
            close(fd);
            return -1;
        }
        cursor += written;
        left -= (unsigned long)written;
    }
    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
    lseek(fd, 0, SEEK_SET);
    return fd;
}

/* A Unix-domain address for `path`; -1 (ENAMETOOLONG) when it does not fit sun_path's 108 bytes. */
static int unix_address(const char *path, struct sockaddr_un *address) {
    memset(address, 0, sizeof *address);
    address->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof address->sun_path) { errno = ENAMETOOLONG; return -1; }
    strcpy(address->sun_path, path);
    return 0;
}

int qwery_unix_listen(const char *path) {
    struct sockaddr_un address;
    if (unix_address(path, &address) != 0) return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    /* Only this user may connect: the socket file is created 0600 (umask 0177 around bind). */
    mode_t previous = umask(0177);
    int bound = bind(fd, (struct sockaddr *)&address, sizeof address);
    umask(previous);
    if (bound != 0 || listen(fd, 64) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int qwery_socket_timeouts(int fd, int seconds) {
    struct timeval timeout = { .tv_sec = seconds, .tv_usec = 0 };
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) != 0) return -1;
    return setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

int qwery_unix_connect(const char *path, int seconds) {
    struct sockaddr_un address;
    if (unix_address(path, &address) != 0) return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0 || qwery_socket_timeouts(fd, seconds) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int qwery_unix_accept(int listener) {
    return accept4(listener, NULL, NULL, SOCK_CLOEXEC);
}

int qwery_unix_socket_path(int fd, char *path, size_t capacity) {
    struct sockaddr_un address;
    socklen_t length = sizeof address;
    int listening = 0;
    socklen_t flag = sizeof listening;
    if (getsockname(fd, (struct sockaddr *)&address, &length) != 0 || address.sun_family != AF_UNIX) return -1;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &flag) != 0 || !listening) return -1;
    size_t used = strnlen(address.sun_path, sizeof address.sun_path);
    if (used + 1 > capacity) return -1;
    memcpy(path, address.sun_path, used);
    path[used] = 0;
    return 0;
}

int qwery_peer_closed(int fd) {
    struct pollfd entry = { .fd = fd, .events = POLLIN | POLLRDHUP };
    if (poll(&entry, 1, 0) <= 0) return 0;
    if (entry.revents & (POLLHUP | POLLRDHUP | POLLERR | POLLNVAL)) return 1;
    char byte;
    return recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

long qwery_peer_uid(int fd) {
    struct ucred credentials;
    socklen_t length = sizeof credentials;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return -1;
    return (long)credentials.uid;
}
