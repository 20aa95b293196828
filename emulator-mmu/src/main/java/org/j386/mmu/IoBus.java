package org.j386.mmu;

/** The x86 port I/O space. Unclaimed ports read all-ones and ignore writes. */
public final class IoBus {
    /** A device on a range of ports. */
    public interface Port {
        int in(int port, int size);
        void out(int port, int size, int value);
    }

    private final Port[] ports = new Port[0x10000];

    public void register(int first, int count, Port device) {
        for (int p = first; p < first + count; p++) ports[p & 0xffff] = device;
    }

    public int in(int port, int size) {
        Port d = ports[port & 0xffff];
        if (d == null) return size == 1 ? 0xff : size == 2 ? 0xffff : -1;
        return d.in(port & 0xffff, size);
    }

    public void out(int port, int size, int value) {
        Port d = ports[port & 0xffff];
        if (d != null) d.out(port & 0xffff, size, value);
    }
}
