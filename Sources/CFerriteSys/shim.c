#define _GNU_SOURCE
#include <sys/socket.h>
#include "CFerriteSys.h"

int ferrite_accept(int listener) {
    return accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

static volatile sig_atomic_t stop_signal = 0;

static void on_stop_signal(int signal) { stop_signal = signal; }

void ferrite_install_signal_handlers(void) {
    struct sigaction action = {0};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int ferrite_stop_signal(void) { return stop_signal; }
