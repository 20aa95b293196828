/* j386 guest interface: the checkpoint/restart system calls (Linux-CR signatures).
 * The series' i386 numbers 347-349 are process_vm_readv/writev and kcmp in today's
 * Linux, so j386 uses numbers no i386 Linux system call has. */
#ifndef J386_H
#define J386_H

#define __NR_j386_checkpoint 500   /* checkpoint(pid, fd, flags, logfd) */
#define __NR_j386_restart    501   /* restart(pid, fd, flags, logfd) */
/* The series' own numbers, answered when the machine runs with --linux-cr-numbers. */
#define __NR_linux_cr_checkpoint 347
#define __NR_linux_cr_restart    348

#define CHECKPOINT_SUBTREE 0x1
#define RESTART_TASKSELF   0x1
#define RESTART_FROZEN     0x2
#define RESTART_GHOST      0x4

#endif
