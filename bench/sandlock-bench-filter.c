/* sandlock-bench-filter.c: what the seccomp filters cost an untrapped syscall
 *
 *   sandlock-bench-filter DIR WRITABLE
 *
 * Compiles the policy sandlock-run gives by default (the system directories
 * readable, WRITABLE writable, max-processes 64), writes its two programs
 * as raw struct sock_filter arrays to DIR/deny.bpf and DIR/notify.bpf (for
 * bench-syscall --bpf), and prints one JSON object describing them: their
 * lengths, how many instructions each runs for a few common syscalls, and
 * which syscalls the kernel's action cache (Linux 5.11+) lets through
 * without running the filters at all.
 *
 * The kernel builds that cache when a filter is installed by emulating the
 * program for every syscall number of the native architecture with nothing
 * known but the number and the architecture: a syscall whose verdict is
 * ALLOW without the program reading anything else (the arguments, the
 * instruction pointer) is allowed from then on by a bitmap lookup; a syscall
 * is in the cache only when every filter of the task's stack allows it so.
 * This file emulates the programs the same way. It links the library's
 * internals (sandlock_policy_compile), which no application can.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib.h>
#include <seccomp.h>

#include "sandlock-policy-private.h"

/* Past the highest x86_64 syscall number of Linux 6.18. */
#define MAX_NR 512

typedef struct {
  gboolean constant;     /* read nothing but nr and arch */
  guint32  verdict;      /* SECCOMP_RET_* with its data */
  guint    executed;     /* instructions run */
} Emulation;

/* A cBPF interpreter for what libseccomp emits, on seccomp_data with only
 * nr and arch known. Stops at the first load of anything else. */
static Emulation
emulate (const struct sock_fprog *program,
         int                      nr)
{
  Emulation e = { TRUE, SECCOMP_RET_KILL_PROCESS, 0 };
  guint32 a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
  guint pc = 0;

  while (pc < program->len)
    {
      const struct sock_filter *f = &program->filter[pc++];
      guint32 operand;

      e.executed++;
      switch (BPF_CLASS (f->code))
        {
        case BPF_LD:
          if (BPF_MODE (f->code) == BPF_ABS && BPF_SIZE (f->code) == BPF_W &&
              f->k == offsetof (struct seccomp_data, nr))
            a = (guint32) nr;
          else if (BPF_MODE (f->code) == BPF_ABS && BPF_SIZE (f->code) == BPF_W &&
                   f->k == offsetof (struct seccomp_data, arch))
            a = AUDIT_ARCH_X86_64;
          else if (BPF_MODE (f->code) == BPF_IMM)
            a = f->k;
          else if (BPF_MODE (f->code) == BPF_MEM)
            a = mem[f->k % BPF_MEMWORDS];
          else
            {
              e.constant = FALSE;
              return e;
            }
          break;
        case BPF_LDX:
          x = BPF_MODE (f->code) == BPF_MEM ? mem[f->k % BPF_MEMWORDS] : f->k;
          break;
        case BPF_ST:
          mem[f->k % BPF_MEMWORDS] = a;
          break;
        case BPF_STX:
          mem[f->k % BPF_MEMWORDS] = x;
          break;
        case BPF_ALU:
          operand = BPF_SRC (f->code) == BPF_X ? x : f->k;
          switch (BPF_OP (f->code))
            {
            case BPF_ADD: a += operand; break;
            case BPF_SUB: a -= operand; break;
            case BPF_MUL: a *= operand; break;
            case BPF_DIV: a = operand ? a / operand : 0; break;
            case BPF_AND: a &= operand; break;
            case BPF_OR: a |= operand; break;
            case BPF_LSH: a <<= operand; break;
            case BPF_RSH: a >>= operand; break;
            case BPF_NEG: a = -a; break;
            default: e.constant = FALSE; return e;
            }
          break;
        case BPF_JMP:
          operand = BPF_SRC (f->code) == BPF_X ? x : f->k;
          switch (BPF_OP (f->code))
            {
            case BPF_JA: pc += f->k; break;
            case BPF_JEQ: pc += a == operand ? f->jt : f->jf; break;
            case BPF_JGT: pc += a > operand ? f->jt : f->jf; break;
            case BPF_JGE: pc += a >= operand ? f->jt : f->jf; break;
            case BPF_JSET: pc += (a & operand) ? f->jt : f->jf; break;
            default: e.constant = FALSE; return e;
            }
          break;
        case BPF_RET:
          e.verdict = BPF_RVAL (f->code) == BPF_A ? a : f->k;
          return e;
        case BPF_MISC:
          if (BPF_MISCOP (f->code) == BPF_TAX)
            x = a;
          else
            a = x;
          break;
        default:
          e.constant = FALSE;
          return e;
        }
    }
  e.constant = FALSE;
  return e;
}

static void
write_program (const char              *dir,
               const char              *name,
               const struct sock_fprog *program)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, (const char *) program->filter,
                            (gssize) (program->len * sizeof (struct sock_filter)), &error))
    {
      fprintf (stderr, "sandlock-bench-filter: %s\n", error->message);
      exit (1);
    }
}

static const char *
syscall_name (int nr)
{
  const char *name = seccomp_syscall_resolve_num_arch (SCMP_ARCH_NATIVE, nr);

  return name != NULL ? name : "?";
}

int
main (int argc, char **argv)
{
  static const char * const readable[] = { "/usr", "/etc", NULL };
  const char *writable[] = { NULL, NULL };
  SandlockPolicySpec spec = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) uncached = g_string_new (NULL);
  static const int common[] = { __NR_getppid, __NR_read, __NR_close, __NR_newfstatat,
                                __NR_openat, __NR_mmap, __NR_clone, __NR_ioctl };
  const struct sock_fprog *programs[2];
  SandlockPolicy *policy;
  guint cached = 0, valid = 0;

  if (argc != 3)
    {
      fprintf (stderr, "usage: sandlock-bench-filter DIR WRITABLE\n");
      return 2;
    }
  writable[0] = argv[2];
  spec.fs_readable = readable;
  spec.fs_writable = writable;
  spec.max_processes = 64;
  spec.private_proc = TRUE;

  policy = sandlock_policy_compile (&spec, &error);
  if (policy == NULL)
    {
      fprintf (stderr, "sandlock-bench-filter: %s\n", error->message);
      return 1;
    }
  programs[0] = &policy->deny_program;
  programs[1] = &policy->notify_program;
  write_program (argv[1], "deny.bpf", programs[0]);
  write_program (argv[1], "notify.bpf", programs[1]);

  for (int nr = 0; nr < MAX_NR; nr++)
    {
      gboolean all_allow = TRUE;

      if (seccomp_syscall_resolve_num_arch (SCMP_ARCH_NATIVE, nr) == NULL)
        continue;
      valid++;
      for (guint p = 0; p < G_N_ELEMENTS (programs); p++)
        {
          Emulation e = emulate (programs[p], nr);

          if (!e.constant || (e.verdict & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ALLOW)
            all_allow = FALSE;
        }
      if (all_allow)
        cached++;
      else
        g_string_append_printf (uncached, "%s\"%s\"", uncached->len ? ", " : "", syscall_name (nr));
    }

  printf ("{\"deny_instructions\": %u, \"notify_instructions\": %u, \"syscalls\": %u, "
          "\"cached_allow\": %u, \"not_cached\": [%s], \"executed\": {",
          programs[0]->len, programs[1]->len, valid, cached, uncached->str);
  for (gsize i = 0; i < G_N_ELEMENTS (common); i++)
    {
      Emulation d = emulate (programs[0], common[i]);
      Emulation n = emulate (programs[1], common[i]);

      printf ("%s\"%s\": [%u, %u]", i ? ", " : "", syscall_name (common[i]), d.executed, n.executed);
    }
  printf ("}}\n");
  sandlock_policy_unref (policy);
  return 0;
}
