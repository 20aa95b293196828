package org.j386.tests.zdtm;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Images holding the objects of records 30–39 (event descriptors, epoll, socket pairs,
 * unlinked host files, the terminal, shared fs contexts): shared objects are written once,
 * and each field the reader validates, when broken with the checksum recomputed, makes
 * `inspect` and `restart` refuse the image with one line naming the record and the reason.
 */
class ZdtmObjectImageTest {
    static final Map<String, byte[]> images = new HashMap<>();

    @BeforeAll
    static void takeImages(@TempDir Path root) throws Exception {
        for (String name : List.of("socketpair", "epoll", "timerfd", "unlinked", "termios", "clonefs")) {
            Path dir = Files.createDirectory(root.resolve(name));
            Zdtm.Guest g = Zdtm.start(name, dir);
            Path img = dir.resolve("image");
            try {
                g.awaitLine("READY");
                assertEquals(null, Zdtm.cli("checkpoint", "--control", dir.resolve("ctl0").toString(), "-o", img.toString(), "--kill"));
                g.finish();
            } finally {
                g.destroy();
            }
            images.put(name, Files.readAllBytes(img));
        }
    }

    @TempDir
    Path dir;

    private static List<ZdtmImageTest.Rec> of(byte[] image, int type) {
        return ZdtmImageTest.records(image).stream().filter(r -> r.type() == type).toList();
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The FILE records of {@code kind}. */
    private static List<ZdtmImageTest.Rec> files(byte[] image, int kind) {
        return of(image, 9).stream().filter(r -> le(image).getInt(r.payload() + 4) == kind).toList();
    }

    @Test
    void sharedObjectsAreWrittenOnce() {
        byte[] s = images.get("socketpair");
        assertEquals(10, of(s, 34).size(), "five pairs, two directions each, although parent and child both held them");
        assertEquals(9, of(s, 35).size(), "every end but the one closed everywhere");
        assertEquals(9, files(s, 15).size());
        byte[] e = images.get("epoll");
        assertEquals(2, of(e, 33).size(), "two epoll instances, each once");
        assertEquals(1, of(e, 30).size(), "one eventfd");
        assertEquals(4, of(images.get("timerfd"), 31).size(), "four timerfds");
        assertEquals(1, of(images.get("unlinked"), 36).size());
        assertEquals(1, of(images.get("termios"), 38).size(), "the console's terminal");
        assertEquals(0, of(images.get("socketpair"), 38).size(), "no terminal without --tty");
        List<ZdtmImageTest.Rec> fs = of(images.get("clonefs"), 39);
        assertEquals(2, fs.size(), "the parent and its CLONE_FS child, not the forked child");
        assertEquals(le(images.get("clonefs")).getInt(fs.get(0).payload()), le(images.get("clonefs")).getInt(fs.get(1).payload()));
    }

    private String broken(String image, int type, int at, int value, String... fragments) throws Exception {
        byte[] b = images.get(image).clone();
        ZdtmImageTest.Rec r = of(b, type).get(0);
        le(b).putInt(r.payload() + (at >= 0 ? at : r.len() + at), value);
        return ZdtmImageTest.refused(dir, ZdtmImageTest.reseal(b), fragments);
    }

    @Test
    void brokenObjectRecordsAreRefused() throws Exception {
        byte[] b = images.get("epoll").clone();
        le(b).putLong(of(b, 30).get(0).payload() + 4, -1L);
        ZdtmImageTest.refused(dir, ZdtmImageTest.reseal(b), "record EVENTFD", "above the largest");
        broken("epoll", 30, -4, 2, "record EVENTFD", "EFD_SEMAPHORE flag 2");
        broken("epoll", 33, 4, 70000, "record EPOLL", "70000 entries");
        broken("epoll", 33, 12, 999, "record EPOLL", "names file 999");
        broken("timerfd", 31, 4, 5, "record TIMERFD", "timerfd clock 5");
        broken("timerfd", 31, 12, -1, "record TIMERFD", "negative timerfd value");
        broken("socketpair", 34, 4, 3, "record SOCKBUF", "socket type 3");
        broken("socketpair", 34, 12, 2, "record SOCKBUF", "2 chunks");
        broken("socketpair", 35, 8, 999, "record SOCKET", "undefined SOCKBUF 999");
        broken("socketpair", 35, -4, 4, "record SOCKET", "shutdown state 4");
        broken("unlinked", 36, 4, 20000, "record FILE", "has 10000 of its 20000 bytes");
        broken("termios", 38, 16, 300, "record TTY", "line discipline 300");
        broken("termios", 38, 47, 4000, "record TAIL", "session 4000 has no task");
        broken("clonefs", 39, 0, 0, "record FS", "FS id 0");
    }

    @Test
    void brokenFileRecordsOfTheNewKindsAreRefused() throws Exception {
        byte[] b = images.get("socketpair").clone();
        ZdtmImageTest.Rec f = files(b, 15).get(0);
        le(b).putInt(f.payload() + f.len() - 8, 999);
        ZdtmImageTest.refused(dir, ZdtmImageTest.reseal(b), "record FILE", "undefined SOCKET 999");

        b = images.get("socketpair").clone();
        le(b).putInt(files(b, 15).get(0).payload() + 4, 17);
        ZdtmImageTest.refused(dir, ZdtmImageTest.reseal(b), "record FILE", "file kind 17");

        b = images.get("socketpair").clone(); // a second FILE naming the first one's socket
        List<ZdtmImageTest.Rec> ends = files(b, 15);
        le(b).putInt(ends.get(1).payload() + ends.get(1).len() - 8, le(b).getInt(ends.get(0).payload() + ends.get(0).len() - 8));
        ZdtmImageTest.refused(dir, ZdtmImageTest.reseal(b), "record FILE", "named by two FILE records");

        b = images.get("epoll").clone();
        ZdtmImageTest.Rec e = files(b, 11).get(0);
        le(b).putInt(e.payload() + 8, 0); // an eventfd opened read-only
        ZdtmImageTest.refused(dir, ZdtmImageTest.reseal(b), "record FILE", "not opened read-write");
    }
}
