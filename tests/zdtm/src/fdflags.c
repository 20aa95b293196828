/* Descriptor state: a dup'd pair sharing one offset, close-on-exec on one of them only,
 * O_APPEND and O_NONBLOCK status flags, a descriptor at a high number, a gap in the table. */
#include "zdtm.h"
#include <fcntl.h>

int main(void) {
    zdtm_init();
    int fd = open("zdtm-fdflags.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(fd, "0123456789", 10);
    lseek(fd, 4, SEEK_SET);
    int d = dup(fd);
    fcntl(d, F_SETFD, FD_CLOEXEC);
    int ap = open("zdtm-fdflags.dat", O_WRONLY | O_APPEND);
    int p[2];
    pipe(p);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    int high = fcntl(fd, F_DUPFD, 200);
    close(ap - 0 == 5 ? 99 : 99); /* nothing at 99: a gap stays a gap */
    zdtm_ready_and_wait();
    CHECK(lseek(d, 0, SEEK_CUR) == 4, "dup offset %ld", (long) lseek(d, 0, SEEK_CUR));
    char c;
    read(fd, &c, 1);
    CHECK(lseek(d, 0, SEEK_CUR) == 5, "the offset is not shared any more");
    CHECK(fcntl(d, F_GETFD) == FD_CLOEXEC && fcntl(fd, F_GETFD) == 0, "close-on-exec flags %d %d", fcntl(d, F_GETFD), fcntl(fd, F_GETFD));
    CHECK((fcntl(ap, F_GETFL) & O_APPEND) != 0, "O_APPEND lost");
    write(ap, "X", 1);
    CHECK(lseek(ap, 0, SEEK_CUR) == 11, "append offset %ld", (long) lseek(ap, 0, SEEK_CUR));
    CHECK((fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0 && read(p[0], &c, 1) == -1, "O_NONBLOCK lost");
    CHECK(high >= 200 && lseek(high, 0, SEEK_CUR) == 5, "descriptor %d offset", high);
    CHECK(fcntl(99, F_GETFD) == -1, "descriptor 99 appeared");
    unlink("zdtm-fdflags.dat");
    return zdtm_end();
}
