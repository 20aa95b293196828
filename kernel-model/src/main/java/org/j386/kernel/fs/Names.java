package org.j386.kernel.fs;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Guest names are byte strings carried in Java Strings one char per byte (ISO-8859-1); host
 * names are Java Strings the JDK encodes as UTF-8. These convert between the two.
 */
final class Names {
    private Names() {}

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
        return true;
    }

    /** Host name for guest bytes, or null when the bytes are not valid UTF-8 (no host file can have that name). */
    static String toHost(String guest) {
        if (ascii(guest)) return guest;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(guest.getBytes(StandardCharsets.ISO_8859_1)));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Guest byte string for a host name. */
    static String toGuest(String host) {
        if (ascii(host)) return host;
        return new String(host.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String guest) {
        return guest.getBytes(StandardCharsets.ISO_8859_1);
    }
}
