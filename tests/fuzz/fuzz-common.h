/* fuzz-common.h: what the libFuzzer targets of tests/fuzz share
 *
 * Each target feeds arbitrary bytes to code that parses untrusted or user
 * input and checks what it must always hold, with g_assert (a failure is a
 * crash libFuzzer reports). ASan and UBSan catch the rest. Built only with
 * clang: see build-aux/run-fuzzers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

/* The input as a C string: the bytes up to the first NUL. */
static inline char *
fuzz_string (const uint8_t *data,
             size_t         size)
{
  return g_strndup ((const char *) data, size);
}

/* Warnings are expected on bad input: dropped, or the fuzzer would spend
 * its time printing. A critical is a broken precondition: a bug. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }
  return G_LOG_WRITER_HANDLED;
}

static inline void
fuzz_quiet_logs (void)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}
