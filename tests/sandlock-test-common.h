/* sandlock-test-common.h: helpers shared by the C tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <sandlock-glib/sandlock.h>

G_BEGIN_DECLS

/* Generous bound for loops that wait on the kernel: reaching it fails the
 * test (something hung); it is never a timing assertion. */
#define SANDLOCK_TEST_HANG_SECONDS 60

/* Replace g_test_init() and g_test_run() in the C tests' main(): unless
 * told which tests to run (-p, -s, -l), or run by g_test_trap_subprocess(),
 * sandlock_test_run() runs each test case in a process of its own (this
 * program again, with -p PATH) and reports each as one TAP result, so that
 * a test that aborts fails alone and the others still run. The processes
 * run under the command in SANDLOCK_TEST_WRAPPER, if set (valgrind);
 * SANDLOCK_TEST_IN_PROCESS=1 runs every test in this process instead, as
 * g_test_run() does (for a debugger). */
void             sandlock_test_init           (int    *argc,
                                               char ***argv);
int              sandlock_test_run            (void);

/* The helper program the tests run inside sandboxes. */
const char      *sandlock_test_probe          (void);

/* The probe of the limits tests (sandlock-limits-probe), beside it. */
const char      *sandlock_test_limits_probe   (void);

/* A sandbox that can run the probe: the system's library and binary
 * directories and the probe's directory are readable; nothing else. */
SandlockSandbox *sandlock_test_sandbox_new    (void);

/* Adds @path to the sandbox's readable (or writable) paths. */
void             sandlock_test_grant          (SandlockSandbox *sandbox,
                                               const char      *path,
                                               gboolean         writable);

/* Runs the probe with the NULL-terminated commands, synchronously. */
SandlockResult  *sandlock_test_run_probe      (SandlockSandbox  *sandbox,
                                               GError          **error,
                                               ...) G_GNUC_NULL_TERMINATED;
SandlockResult  *sandlock_test_run_probev     (SandlockSandbox     *sandbox,
                                               const char * const  *commands,
                                               GError             **error);

/* Spawns the probe with the NULL-terminated @commands; fails the test if
 * that fails. */
SandlockProcess *sandlock_test_spawn_probev   (SandlockSandbox     *sandbox,
                                               GSubprocessFlags     flags,
                                               const char * const  *commands);

/* The result's stdout as a string. */
char            *sandlock_test_stdout         (SandlockResult *result);

/* Asserts that @output has @line as one of its lines. */
#define sandlock_test_assert_line(output, line) \
  sandlock_test_assert_line_impl (G_STRLOC, (output), (line))
void             sandlock_test_assert_line_impl (const char *location,
                                                 const char *output,
                                                 const char *line);

/* The number of descriptors this process has open. */
guint            sandlock_test_count_fds      (void);

/* Asserts this process has @expected descriptors open; lists them if not. */
void             sandlock_test_assert_fds     (guint expected);

/* A TCP listener on loopback at an ephemeral port. */
int              sandlock_test_listen_tcp     (guint16 *port);

/* Whether process @pid no longer exists (reaped, not merely a zombie). */
gboolean         sandlock_test_pid_gone       (GPid pid);

/* Iterates @context until @pid is gone; fails the test if that takes
 * SANDLOCK_TEST_HANG_SECONDS. */
void             sandlock_test_wait_pid_gone  (GMainContext *context,
                                               GPid          pid);

/* Reads one line from a process's stdout pipe, iterating the
 * thread-default main context while none is there, so that the sandbox's
 * trapped syscalls (its forks, under max-processes) are answered. */
char            *sandlock_test_read_line      (SandlockProcess *process);
/* The same without iterating the thread-default main context meanwhile:
 * the sandbox's trapped syscalls (forks included, under max-processes)
 * stay queued. */
char            *sandlock_test_read_line_blocking (SandlockProcess *process);

/* Removes @path and everything beneath it, following no symbolic link. */
void             sandlock_test_remove_tree    (const char *path);

/* Creates @dir/@name holding @contents; returns its path. */
char            *sandlock_test_make_file      (const char *dir,
                                               const char *name,
                                               const char *contents);

/* How many processes have @tag as one of their arguments (zombies, which
 * have no arguments left, are not counted). */
guint            sandlock_test_count_tagged   (const char *tag);

/* Iterates @context until no process has @tag as an argument; fails the
 * test if that takes SANDLOCK_TEST_HANG_SECONDS. */
void             sandlock_test_wait_tagged_gone (GMainContext *context,
                                                 const char   *tag);

/* Whether the test runs under valgrind (build-aux/run-tests does that). */
gboolean         sandlock_test_running_on_valgrind (void);

/* Whether the tests were built with AddressSanitizer, whose shadow memory
 * makes every fork (a spawn forks its helper) many times slower. */
gboolean         sandlock_test_built_with_asan (void);

/* Whether this process has a child, reaped or not, in any thread. */
gboolean         sandlock_test_has_children   (void);

/* What this machine's kernel does with an unconfined syscall of a foreign
 * ABI on x86-64, found once by running the probe outside any sandbox (a
 * creat() of a marker file through that ABI) and cached. Kernels differ:
 * IA-32 emulation may be built in, built out or switched off at boot
 * (ia32_emulation=, or a hypervisor's choice), x32 is rarely built in. */
typedef enum {
  SANDLOCK_TEST_ABI_RUNS,      /* the call ran: the marker was created */
  SANDLOCK_TEST_ABI_ENOSYS,    /* the kernel answered ENOSYS */
  SANDLOCK_TEST_ABI_SIGSEGV,   /* the kernel killed the caller with SIGSEGV
                                * before any syscall began (int 0x80 with
                                * IA-32 emulation off) */
} SandlockTestAbi;

/* @abi is "int80" (i386) or "x32"; *description (may be NULL) says in a
 * sentence what the probe saw, for g_test_message(). */
SandlockTestAbi  sandlock_test_foreign_abi    (const char  *abi,
                                               const char **description);

/* The Landlock ABI version of the running kernel (0: no Landlock). */
int              sandlock_test_landlock_abi   (void);

G_END_DECLS
