#ifndef CLIBEDIT_SHIM_H
#define CLIBEDIT_SHIM_H

/*
 * libedit's readline emulation plus the few helpers Swift needs around it.
 *
 * Swift 6 refuses to touch mutable C globals ("not concurrency-safe"), so every
 * libedit global the shell reads or writes goes through a static inline helper.
 * Call the libedit ones from the input thread only (libedit keeps one global
 * editor); the SIGINT helpers at the end may be called from any thread.
 */

#include <editline/readline.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

/* Completion: our callback replaces libedit's default (filename) completion. */
static inline void clibedit_set_attempted_completion_function(rl_completion_func_t *fn) {
    rl_attempted_completion_function = fn;
}

/* 1 = do not fall back to filename completion when the callback returns NULL.
   libedit resets it to 0 after every Tab, so set it inside the callback. */
static inline void clibedit_set_attempted_completion_over(int over) {
    rl_attempted_completion_over = over;
}

/* Appended after a unique match (libedit's default is ' '). */
static inline void clibedit_set_completion_append_character(int c) {
    rl_completion_append_character = c;
}

/* The whole line being edited (UTF-8, NUL-terminated) and the cursor, both refreshed
   just before completion.  Inside the completion callback libedit 3.1 counts rl_point
   in characters (wide chars), not bytes. */
static inline const char *clibedit_line_buffer(void) { return rl_line_buffer; }
static inline int clibedit_point(void) { return rl_point; }

/* libedit's history is unlimited (H_SETSIZE INT_MAX) until stifled. */
static inline void clibedit_stifle_history(int max) { stifle_history(max); }

/*
 * Ctrl-C at the prompt.  readline() returns NULL both at end of input and when a
 * signal interrupts its read(2); this flag tells them apart.  The handler is
 * installed WITHOUT SA_RESTART so the blocked read fails with EINTR instead of
 * being restarted, and it does nothing but set the flag (async-signal-safe).
 *
 * The flag is a weak (not static) definition so every Swift file that imports
 * this header shares one variable: a `static` here would give each object file
 * its own copy, and the handler and the reader could end up looking at different ones.
 */
__attribute__((weak)) volatile sig_atomic_t clibedit_sigint_pending = 0;

/* The thread blocked in readline, while clibedit_reader_active is set.  Ctrl-C is a
   process-wide signal that the kernel usually hands to the main thread; only a signal
   taken by the reading thread itself interrupts its read(2), so the handler forwards it. */
__attribute__((weak)) pthread_t clibedit_reader = 0; /* the initializer makes it a definition */
__attribute__((weak)) volatile sig_atomic_t clibedit_reader_active = 0;

static inline void clibedit_on_sigint(int signo) {
    clibedit_sigint_pending = 1;
    if (clibedit_reader_active && !pthread_equal(pthread_self(), clibedit_reader))
        pthread_kill(clibedit_reader, signo); /* async-signal-safe */
}

/* What clibedit_sigint_install replaced, so the caller can put it back. */
typedef struct {
    struct sigaction action;
    sigset_t mask;
} clibedit_sigint_saved;

/* Installs the flag-setting SIGINT handler and unblocks SIGINT in the calling thread
   (a runtime or an earlier signal setup may have left it blocked, and then Ctrl-C would
   never interrupt readline).  Saves the previous state in *saved. */
static inline int clibedit_sigint_install(clibedit_sigint_saved *saved) {
    struct sigaction sa;
    sigset_t only_int;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = clibedit_on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: see above */
    if (sigaction(SIGINT, &sa, &saved->action) != 0)
        return -1;
    sigemptyset(&only_int);
    sigaddset(&only_int, SIGINT);
    return pthread_sigmask(SIG_UNBLOCK, &only_int, &saved->mask) == 0 ? 0 : -1;
}

/* Puts back the handler and signal mask saved by clibedit_sigint_install. */
static inline void clibedit_sigint_restore(const clibedit_sigint_saved *saved) {
    sigaction(SIGINT, &saved->action, NULL);
    pthread_sigmask(SIG_SETMASK, &saved->mask, NULL);
}

/* While on (1), Ctrl-C taken by any other thread is forwarded to the calling thread:
   turn it on just around readline(), off (0) right after. */
static inline void clibedit_sigint_forward_to_this_thread(int on) {
    if (on) {
        clibedit_reader = pthread_self();
        __atomic_store_n(&clibedit_reader_active, 1, __ATOMIC_SEQ_CST);
    } else {
        __atomic_store_n(&clibedit_reader_active, 0, __ATOMIC_SEQ_CST);
    }
}

/* Returns 1 if Ctrl-C was pressed since the last call, and clears the flag. */
static inline int clibedit_sigint_take(void) {
    /* One atomic swap, so a Ctrl-C landing between the test and the clear is not lost. */
    return __atomic_exchange_n(&clibedit_sigint_pending, 0, __ATOMIC_SEQ_CST) != 0;
}

#endif /* CLIBEDIT_SHIM_H */
