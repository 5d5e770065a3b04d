// Held-out benchmark input (issue 32), copied from OpenJDK 17 (Debian openjdk-17-source), GPL-2.0 with the Classpath Exception: java/lang/Byte.java.
// Chosen functions: hashCode, compare, compareUnsigned, toUnsignedInt, toUnsignedLong.
// Doc comments of the chosen functions removed; built by benchmarks/make_lang_sets.py; do not edit.

public final class ByteBits {

    public static int hashCode(byte value) {
        return (int)value;
    }

    public static int compare(byte x, byte y) {
        return x - y;
    }

    public static int compareUnsigned(byte x, byte y) {
        return Byte.toUnsignedInt(x) - Byte.toUnsignedInt(y);
    }

    public static int toUnsignedInt(byte x) {
        return ((int) x) & 0xff;
    }

    public static long toUnsignedLong(byte x) {
        return ((long) x) & 0xffL;
    }
}
