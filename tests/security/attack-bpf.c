/* attack-bpf.c: loading a BPF program and creating a BPF map. Both must
 * fail with EPERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <linux/bpf.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main (void)
{
  struct bpf_insn program[] = {
    { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
    { .code = BPF_JMP | BPF_EXIT },
  };
  union bpf_attr load = { 0 };
  union bpf_attr map = { 0 };

  load.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
  load.insns = (uint64_t) (uintptr_t) program;
  load.insn_cnt = sizeof program / sizeof program[0];
  load.license = (uint64_t) (uintptr_t) "GPL";
  attack_report (syscall (SYS_bpf, BPF_PROG_LOAD, &load, sizeof load), "bpf BPF_PROG_LOAD");

  map.map_type = BPF_MAP_TYPE_ARRAY;
  map.key_size = 4;
  map.value_size = 4;
  map.max_entries = 1;
  attack_report (syscall (SYS_bpf, BPF_MAP_CREATE, &map, sizeof map), "bpf BPF_MAP_CREATE");
  return 0;
}
