/* test-fsviews.c: presets and denied paths, in real sandboxes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/xattr.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sandlock-test-common.h"
#include "sandlock-test-handler.h"

static SandlockResult *
run_sh (SandlockSandbox *sandbox,
        const char      *script)
{
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  g_autoptr(GError) error = NULL;
  SandlockResult *result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);

  g_assert_no_error (error);
  return result;
}

/* The first command of a new user: a background job whose output
 * goes to /dev/null. */
#define BACKGROUND_TO_NULL "true >/dev/null 2>&1 & wait $!; echo status=$?"

static void
test_preset_system_devices (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  g_assert_true (sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM |
                                              SANDLOCK_PRESET_DEVICES, &error));
  g_assert_no_error (error);
  /* One command after the other: a child exiting while the shell forks
   * the next one can fail that fork with EINTR under max-processes (see
   * "Known limits" in docs/policy.md), which this test is not about. */
  result = run_sh (sandbox, BACKGROUND_TO_NULL "; head -c 4 /dev/urandom >/dev/null && echo urandom=ok");
  output = sandlock_test_stdout (result);
  sandlock_test_assert_line (output, "status=0");
  sandlock_test_assert_line (output, "urandom=ok");
  g_assert_true (sandlock_result_get_success (result));
}

static void
test_preset_system_without_devices (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  g_assert_true (sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM, &error));
  result = run_sh (sandbox, BACKGROUND_TO_NULL);
  output = sandlock_test_stdout (result);
  /* The redirection fails: the shell's job exits 2. */
  g_assert_null (strstr (output, "status=0"));
  g_assert_nonnull (strstr (output, "status="));
}

static void
test_preset_system_not_all_etc (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  g_assert_true (sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM, &error));
  /* /etc/passwd is in the preset, /etc/fstab and the rest of /etc are not. */
  result = run_sh (sandbox, "if cat /etc/passwd | grep -q '^root:'; then echo passwd=ok; fi; "
                            "if cat /etc/fstab 2>&- ; then echo fstab=read; else echo fstab=refused; fi; "
                            "if ls /etc >&- 2>&- ; then echo etc=listed; else echo etc=refused; fi");
  output = sandlock_test_stdout (result);
  sandlock_test_assert_line (output, "passwd=ok");
  if (g_file_test ("/etc/fstab", G_FILE_TEST_EXISTS))
    sandlock_test_assert_line (output, "fstab=refused");
  sandlock_test_assert_line (output, "etc=refused");
}

static gboolean
strv_has (const char * const *strv,
          const char         *item)
{
  return strv != NULL && g_strv_contains (strv, item);
}

static void
test_preset_paths (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) first = NULL;
  const char * const *readable;
  const char * const *writable;
  const char *mine[] = { "/usr/share", NULL };

  /* A path already there stays first; what it covers is not repeated. */
  sandlock_sandbox_set_fs_readable (sandbox, mine);
  g_assert_true (sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM |
                                              SANDLOCK_PRESET_DEVICES |
                                              SANDLOCK_PRESET_FLATPAK, &error));
  g_assert_no_error (error);
  readable = sandlock_sandbox_get_fs_readable (sandbox);
  writable = sandlock_sandbox_get_fs_writable (sandbox);
  g_assert_cmpstr (readable[0], ==, "/usr/share");
  g_assert_true (strv_has (readable, "/usr"));
  g_assert_true (strv_has (writable, "/dev/null"));
  g_assert_false (strv_has (writable, "/dev/tty"));

  /* Every path exists and is canonical, and none is covered by another. */
  for (gsize i = 0; readable[i] != NULL; i++)
    {
      g_autofree char *canonical = realpath (readable[i], NULL);

      g_assert_cmpstr (canonical, ==, readable[i]);
      for (gsize j = 1; readable[j] != NULL && i > 0; j++)
        if (i != j)
          g_assert_false (g_str_has_prefix (readable[i], readable[j]) &&
                          readable[i][strlen (readable[j])] == '/');
    }
  if (!g_file_test ("/app", G_FILE_TEST_EXISTS))
    g_assert_false (strv_has (readable, "/app"));
  /* On a merged-/usr system /lib is /usr/lib, which /usr covers. */
  if (g_file_test ("/lib", G_FILE_TEST_IS_SYMLINK))
    g_assert_false (strv_has (readable, "/lib"));

  /* Adding again adds nothing. */
  first = g_strdupv ((char **) readable);
  g_assert_true (sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM, &error));
  g_assert_true (g_strv_equal ((const char * const *) first,
                               sandlock_sandbox_get_fs_readable (sandbox)));

  g_assert_true (sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_TTY, &error));
  if (g_file_test ("/dev/tty", G_FILE_TEST_EXISTS))
    g_assert_true (strv_has (sandlock_sandbox_get_fs_writable (sandbox), "/dev/tty"));
}

static void
test_preset_unknown (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM | (1 << 20), &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  g_assert_null (sandlock_sandbox_get_fs_readable (sandbox));
}


/* ---- fs-denied ---------------------------------------------------------- */

static char *
make_tree (void)
{
  g_autoptr(GError) error = NULL;
  char *home = g_dir_make_tmp ("sandlock-test-XXXXXX", &error);
  g_autofree char *ssh = g_build_filename (home, ".ssh", NULL);
  g_autofree char *docs = g_build_filename (home, "docs", NULL);
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  g_assert_no_error (error);
  g_assert_no_errno (g_mkdir (ssh, 0700));
  g_assert_no_errno (g_mkdir (docs, 0700));
  a = sandlock_test_make_file (ssh, "id", "key");
  b = sandlock_test_make_file (docs, "note", "note");
  c = sandlock_test_make_file (home, "top", "top");
  return home;
}

static void
test_denied_readable (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *home = make_tree ();
  g_autofree char *ssh = g_build_filename (home, ".ssh", NULL);
  g_autofree char *script = NULL;
  g_autofree char *output = NULL;
  const char *readable[] = { home, NULL };
  const char *denied[] = { ssh, NULL };

  sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM, NULL);
  sandlock_sandbox_set_fs_writable (sandbox, readable);
  sandlock_sandbox_set_fs_denied (sandbox, denied);
  g_assert_cmpstr (sandlock_sandbox_get_fs_denied (sandbox)[0], ==, ssh);
  script = g_strdup_printf ("cd %s; "
                            "cat top && echo top=read; "
                            "cat docs/note && echo note=read; "
                            "echo x > docs/new && echo docs=writable; "
                            "cat .ssh/id 2>&- || echo id=refused; "
                            "ls .ssh >&- 2>&- || echo ssh=unlisted; "
                            "ls . >&- 2>&- || echo home=unlisted; "
                            "echo x 2>&- > new || echo home=no-create; "
                            "rm top 2>&- || echo home=no-remove", home);
  result = run_sh (sandbox, script);
  output = sandlock_test_stdout (result);
  sandlock_test_assert_line (output, "toptop=read");
  sandlock_test_assert_line (output, "notenote=read");
  sandlock_test_assert_line (output, "docs=writable");
  sandlock_test_assert_line (output, "id=refused");
  sandlock_test_assert_line (output, "ssh=unlisted");
  sandlock_test_assert_line (output, "home=unlisted");
  sandlock_test_assert_line (output, "home=no-create");
  sandlock_test_assert_line (output, "home=no-remove");
  sandlock_test_remove_tree (home);
}

/* A denied path that does not exist yet cannot be made. */
static void
test_denied_missing (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *home = make_tree ();
  g_autofree char *future = g_build_filename (home, "docs", "future", "deeper", NULL);
  g_autofree char *script = NULL;
  g_autofree char *output = NULL;
  const char *writable[] = { home, NULL };
  const char *denied[] = { future, NULL };

  sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM, NULL);
  sandlock_sandbox_set_fs_writable (sandbox, writable);
  sandlock_sandbox_set_fs_denied (sandbox, denied);
  script = g_strdup_printf ("cd %s/docs; mkdir future 2>&- || echo future=refused; "
                            "cat note && echo note=read", home);
  result = run_sh (sandbox, script);
  output = sandlock_test_stdout (result);
  sandlock_test_assert_line (output, "future=refused");
  sandlock_test_assert_line (output, "notenote=read");
  sandlock_test_remove_tree (home);
}

/* Denying a granted root, or a path above it, removes the grant. */
static void
test_denied_covers_root (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *home = make_tree ();
  g_autofree char *docs = g_build_filename (home, "docs", NULL);
  g_autofree char *script = NULL;
  g_autofree char *output = NULL;
  const char *readable[] = { docs, NULL };
  const char *denied[] = { home, NULL };

  sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM, NULL);
  sandlock_sandbox_set_fs_readable (sandbox, readable);
  sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM, NULL);
  sandlock_sandbox_set_fs_denied (sandbox, denied);
  script = g_strdup_printf ("cat %s/note 2>&- || echo note=refused", docs);
  result = run_sh (sandbox, script);
  output = sandlock_test_stdout (result);
  sandlock_test_assert_line (output, "note=refused");
  sandlock_test_remove_tree (home);
}

static void
test_denied_bad_input (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *home = make_tree ();
  g_autofree char *id = g_build_filename (home, ".ssh", "id", NULL);
  g_autofree char *other = g_build_filename (home, "docs", "id-link", NULL);
  g_autofree char *ssh = g_build_filename (home, ".ssh", NULL);
  g_autofree char *dotdot = g_build_filename (home, "nope", "..", "x", NULL);
  const char *relative[] = { "etc", NULL };
  const char *with_dotdot[] = { dotdot, NULL };
  const char *denied[] = { ssh, NULL };
  const char *writable[] = { home, NULL };
  const char *argv[] = { "/bin/true", NULL };
  SandlockResult *result;

  sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM, NULL);
  sandlock_sandbox_set_fs_writable (sandbox, writable);

  sandlock_sandbox_set_fs_denied (sandbox, relative);
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  g_assert_nonnull (strstr (error->message, "'etc' is not an absolute path"));
  g_clear_error (&error);

  sandlock_sandbox_set_fs_denied (sandbox, with_dotdot);
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  g_clear_error (&error);

  /* A hard link of a denied file outside fs-denied would stay readable. */
  g_assert_no_errno (link (id, other));
  sandlock_sandbox_set_fs_denied (sandbox, denied);
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  g_assert_nonnull (strstr (error->message, "hard links"));
  g_clear_error (&error);

  /* Both names denied: fine. */
  {
    const char *both[] = { ssh, other, NULL };

    sandlock_sandbox_set_fs_denied (sandbox, both);
    result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (sandlock_result_get_success (result));
    g_object_unref (result);
  }
  sandlock_test_remove_tree (home);
}

static SandlockAction *
continue_call (SandlockTestHandler   *self,
               SandlockNotification  *notification,
               gpointer               user_data,
               GError               **error)
{
  return sandlock_action_new_continue ();
}

/* Denied paths look absent, and the rest answers as usual, whether a
 * user handler sees the lookups first (the guard then performs them
 * after the handler continued) or not. */
static void
test_denied_lookups (gconstpointer data)
{
  gboolean with_handlers = GPOINTER_TO_INT (data);
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(SandlockTestHandler) handler = NULL;
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *home = make_tree ();
  g_autofree char *ssh = g_build_filename (home, ".ssh", NULL);
  g_autofree char *link = g_build_filename (home, "docs", "link", NULL);
  g_autofree char *script = NULL;
  g_autofree char *output = NULL;
  const char *writable[] = { home, NULL };
  const char *denied[] = { ssh, NULL };

  g_assert_no_errno (symlink ("../top", link));
  sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM, NULL);
  sandlock_sandbox_set_fs_writable (sandbox, writable);
  sandlock_sandbox_set_fs_denied (sandbox, denied);
  if (with_handlers)
    {
      const char * const names[] = { "newfstatat", "statx", "faccessat2", "readlinkat", "openat", NULL };

      handler = sandlock_test_handler_new (continue_call, NULL, SANDLOCK_EXCEPTION_POLICY_KILL);
      for (gsize i = 0; names[i] != NULL; i++)
        {
          g_assert_true (sandlock_sandbox_add_handler (sandbox, names[i], SANDLOCK_HANDLER (handler), &error));
          g_assert_no_error (error);
        }
    }
  script = g_strdup_printf ("cd %s; "
                            "stat -c 'size %%s' top; "
                            "stat -c 'link %%s' docs/link; "
                            "stat -L -c 'target %%s' docs/link; "
                            "readlink docs/link; "
                            "test -r docs/note && echo note=readable; "
                            "test -e .ssh || echo ssh=absent; "
                            "test -e .ssh/id || echo id=absent; "
                            "stat .ssh 2>&1 | grep -q 'No such file' && echo stat=ENOENT; "
                            "cat .ssh/id 2>&1 | grep -q 'No such file' && echo cat=ENOENT; "
                            "cat docs/note", home);
  result = run_sh (sandbox, script);
  output = sandlock_test_stdout (result);
  sandlock_test_assert_line (output, "size 3");
  sandlock_test_assert_line (output, "link 6");
  sandlock_test_assert_line (output, "target 3");
  sandlock_test_assert_line (output, "../top");
  sandlock_test_assert_line (output, "note=readable");
  sandlock_test_assert_line (output, "ssh=absent");
  sandlock_test_assert_line (output, "id=absent");
  sandlock_test_assert_line (output, "stat=ENOENT");
  sandlock_test_assert_line (output, "cat=ENOENT");
  sandlock_test_assert_line (output, "note");
  if (with_handlers)
    g_assert_cmpuint (handler->calls, >, 0);
  sandlock_test_remove_tree (home);
}

/* Extended attributes with fs-denied set: the lookup guard reads them for
 * the command from files that are not denied, within the size it gives,
 * and a denied file's look absent. */
static void
test_denied_xattrs (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *home = make_tree ();
  g_autofree char *ssh = g_build_filename (home, ".ssh", NULL);
  g_autofree char *note = g_build_filename (home, "docs", "note", NULL);
  g_autofree char *id = g_build_filename (ssh, "id", NULL);
  g_autofree char *script = NULL;
  g_autofree char *output = NULL;
  const char *writable[] = { home, NULL };
  const char *denied[] = { ssh, NULL };

  if (setxattr (note, "user.origin", "https://example.org/note", 24, 0) != 0)
    {
      g_test_skip_printf ("the file system of %s takes no user attribute: %s",
                          home, g_strerror (errno));
      sandlock_test_remove_tree (home);
      return;
    }
  g_assert_no_errno (setxattr (id, "user.origin", "https://example.org/key", 23, 0));
  /* Root's supervisor could read trusted.* attributes; the command, which
   * holds no capability, must not. */
  if (geteuid () == 0)
    g_assert_no_errno (setxattr (note, "trusted.origin", "hidden", 6, 0));
  sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM, NULL);
  sandlock_sandbox_set_fs_writable (sandbox, writable);
  sandlock_sandbox_set_fs_denied (sandbox, denied);
  script = g_strdup_printf ("cd %s && /usr/bin/python3 -c '\n"
                            "import errno, os\n"
                            "print(\"value\", os.getxattr(\"docs/note\", \"user.origin\").decode())\n"
                            "print(\"list\", os.listxattr(\"docs/note\"))\n"
                            "try:\n"
                            "    os.getxattr(\"docs/note\", \"user.none\")\n"
                            "except OSError as e:\n"
                            "    print(\"none\", errno.errorcode[e.errno])\n"
                            "try:\n"
                            "    os.getxattr(\"docs/note\", \"trusted.origin\")\n"
                            "except OSError as e:\n"
                            "    print(\"trusted\", errno.errorcode[e.errno])\n"
                            "for name in (\".ssh/id\", \".ssh\"):\n"
                            "    try:\n"
                            "        print(name, os.listxattr(name), os.getxattr(name, \"user.origin\"))\n"
                            "    except OSError as e:\n"
                            "        print(name, errno.errorcode[e.errno])\n"
                            "'", home);
  result = run_sh (sandbox, script);
  output = sandlock_test_stdout (result);
  sandlock_test_assert_line (output, "value https://example.org/note");
  sandlock_test_assert_line (output, "list ['user.origin']");
  sandlock_test_assert_line (output, "none ENODATA");
  sandlock_test_assert_line (output, "trusted ENODATA");
  sandlock_test_assert_line (output, ".ssh/id ENOENT");
  sandlock_test_assert_line (output, ".ssh ENOENT");
  sandlock_test_remove_tree (home);
}

/* A bind mount that shows the denied directory at another place, made
 * before the policy is compiled: that place is denied too. In a mount
 * namespace of this test process (and a user namespace when it runs
 * unprivileged), so that nothing outside sees the mount. */
static void
test_denied_bind_mount (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *home = make_tree ();
  g_autofree char *ssh = g_build_filename (home, ".ssh", NULL);
  g_autofree char *copy = g_build_filename (home, "docs", "ssh-copy", NULL);
  g_autofree char *script = NULL;
  g_autofree char *output = NULL;
  const char *writable[] = { home, NULL };
  const char *denied[] = { ssh, NULL };
  int flags = getuid () == 0 ? CLONE_NEWNS : CLONE_NEWUSER | CLONE_NEWNS;

  g_assert_no_errno (g_mkdir (copy, 0700));
  if (unshare (flags) != 0)
    {
      int saved_errno = errno;

      sandlock_test_remove_tree (home);
      if (flags & CLONE_NEWUSER)
        {
          g_test_skip_printf ("no bind mount can be made: unshare(CLONE_NEWUSER) failed: %s",
                              g_strerror (saved_errno));
          return;
        }
      g_error ("unshare(CLONE_NEWNS): %s", g_strerror (saved_errno));
    }
  g_assert_no_errno (mount ("none", "/", "none", MS_REC | MS_PRIVATE, NULL));
  g_assert_no_errno (mount (ssh, copy, "none", MS_BIND, NULL));

  sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM, NULL);
  sandlock_sandbox_set_fs_writable (sandbox, writable);
  sandlock_sandbox_set_fs_denied (sandbox, denied);
  script = g_strdup_printf ("cd %s; cat docs/ssh-copy/id 2>&- || echo copy=refused; "
                            "ls docs/ssh-copy >&- 2>&- || echo copy=unlisted; "
                            "cat docs/note", home);
  result = run_sh (sandbox, script);
  output = sandlock_test_stdout (result);
  sandlock_test_assert_line (output, "copy=refused");
  sandlock_test_assert_line (output, "copy=unlisted");
  sandlock_test_assert_line (output, "note");
  umount2 (copy, MNT_DETACH);
  sandlock_test_remove_tree (home);
}

/* ---- private /proc ------------------------------------------------------- */

#define PYTHON_PROC \
  "import os, subprocess\n" \
  "child = subprocess.Popen(['sleep', '30'])\n" \
  "pids = sorted(int(n) for n in os.listdir('/proc') if n.isdigit())\n" \
  "print('self', os.getpid() in pids)\n" \
  "print('child', child.pid in pids)\n" \
  "print('one', 1 in pids)\n" \
  "print('app', %d in pids)\n" \
  "print('count', len(pids))\n" \
  "print('status', open('/proc/%%d/status' %% child.pid).readline().split()[0])\n" \
  "print('cpuinfo', len(open('/proc/cpuinfo').read()) > 0)\n" \
  "child.kill(); child.wait()\n"

static char *
run_python_proc (gboolean private_proc)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_strdup_printf (PYTHON_PROC, (int) getpid ());
  const char *proc[] = { "/proc", NULL };
  const char *argv[] = { "/usr/bin/python3", "-c", script, NULL };

  sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM | SANDLOCK_PRESET_DEVICES, NULL);
  sandlock_sandbox_set_fs_readable (sandbox, proc);
  sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM, NULL);
  g_assert_true (sandlock_sandbox_get_private_proc (sandbox));
  sandlock_sandbox_set_private_proc (sandbox, private_proc);
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  g_assert_no_error (error);
  return sandlock_test_stdout (result);
}

static void
test_private_proc_python (void)
{
  g_autofree char *output = NULL;

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("no /usr/bin/python3");
      return;
    }
  output = run_python_proc (TRUE);
  sandlock_test_assert_line (output, "self True");
  sandlock_test_assert_line (output, "child True");
  sandlock_test_assert_line (output, "one False");
  sandlock_test_assert_line (output, "app False");
  sandlock_test_assert_line (output, "count 2");
  sandlock_test_assert_line (output, "status Name:");
  sandlock_test_assert_line (output, "cpuinfo True");
}

static void
test_shared_proc_python (void)
{
  g_autofree char *output = NULL;

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("no /usr/bin/python3");
      return;
    }
  output = run_python_proc (FALSE);
  sandlock_test_assert_line (output, "self True");
  sandlock_test_assert_line (output, "child True");
  sandlock_test_assert_line (output, "one True");
  sandlock_test_assert_line (output, "app True");
}

/* ps lists the sandbox's processes: itself and the shell. */
static void
test_private_proc_ps (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) lines = NULL;
  const char *proc[] = { "/proc", NULL };

  if (!g_file_test ("/usr/bin/ps", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("no /usr/bin/ps (procps)");
      return;
    }
  sandlock_sandbox_set_fs_readable (sandbox, proc);
  sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM | SANDLOCK_PRESET_DEVICES, NULL);
  result = run_sh (sandbox, "sleep 30 & ps -e -o comm=; kill $!");
  output = sandlock_test_stdout (result);
  lines = g_strsplit (g_strstrip (output), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  sandlock_test_assert_line (output, "sh");
  sandlock_test_assert_line (output, "sleep");
  sandlock_test_assert_line (output, "ps");
}

int
main (int argc, char **argv)
{
  sandlock_test_init (&argc, &argv);

  g_test_add_func ("/fsviews/preset/system-devices", test_preset_system_devices);
  g_test_add_func ("/fsviews/preset/system-without-devices", test_preset_system_without_devices);
  g_test_add_func ("/fsviews/preset/system-not-all-etc", test_preset_system_not_all_etc);
  g_test_add_func ("/fsviews/preset/paths", test_preset_paths);
  g_test_add_func ("/fsviews/preset/unknown", test_preset_unknown);

  g_test_add_func ("/fsviews/denied/writable-root", test_denied_readable);
  g_test_add_func ("/fsviews/denied/missing", test_denied_missing);
  g_test_add_func ("/fsviews/denied/covers-root", test_denied_covers_root);
  g_test_add_func ("/fsviews/denied/bad-input", test_denied_bad_input);

  g_test_add_func ("/fsviews/denied/bind-mount", test_denied_bind_mount);
  g_test_add_func ("/fsviews/denied/xattrs", test_denied_xattrs);
  g_test_add_data_func ("/fsviews/denied/lookups", GINT_TO_POINTER (FALSE), test_denied_lookups);
  g_test_add_data_func ("/fsviews/denied/lookups-with-handlers", GINT_TO_POINTER (TRUE),
                        test_denied_lookups);
  g_test_add_func ("/fsviews/proc/private-python", test_private_proc_python);
  g_test_add_func ("/fsviews/proc/shared-python", test_shared_proc_python);
  g_test_add_func ("/fsviews/proc/private-ps", test_private_proc_ps);

  return sandlock_test_run ();
}
