// Held-out benchmark input (issue 32), copied from OpenJDK 17 (Debian openjdk-17-source), GPL-2.0 with the Classpath Exception: java/lang/Character.java.
// Chosen functions: isHighSurrogate, isLowSurrogate, isSurrogate, isSurrogatePair, charCount, toCodePoint.
// Doc comments of the chosen functions removed; built by benchmarks/make_lang_sets.py; do not edit.

public final class CharSurrogates {

    public static final char MIN_HIGH_SURROGATE = '\uD800';

    public static final char MAX_HIGH_SURROGATE = '\uDBFF';

    public static final char MIN_LOW_SURROGATE  = '\uDC00';

    public static final char MAX_LOW_SURROGATE  = '\uDFFF';

    public static final char MIN_SURROGATE = MIN_HIGH_SURROGATE;

    public static final char MAX_SURROGATE = MAX_LOW_SURROGATE;

    public static final int MIN_SUPPLEMENTARY_CODE_POINT = 0x010000;

    public static boolean isHighSurrogate(char ch) {
        // Help VM constant-fold; MAX_HIGH_SURROGATE + 1 == MIN_LOW_SURROGATE
        return ch >= MIN_HIGH_SURROGATE && ch < (MAX_HIGH_SURROGATE + 1);
    }

    public static boolean isLowSurrogate(char ch) {
        return ch >= MIN_LOW_SURROGATE && ch < (MAX_LOW_SURROGATE + 1);
    }

    public static boolean isSurrogate(char ch) {
        return ch >= MIN_SURROGATE && ch < (MAX_SURROGATE + 1);
    }

    public static boolean isSurrogatePair(char high, char low) {
        return isHighSurrogate(high) && isLowSurrogate(low);
    }

    public static int charCount(int codePoint) {
        return codePoint >= MIN_SUPPLEMENTARY_CODE_POINT ? 2 : 1;
    }

    public static int toCodePoint(char high, char low) {
        // Optimized form of:
        // return ((high - MIN_HIGH_SURROGATE) << 10)
        //         + (low - MIN_LOW_SURROGATE)
        //         + MIN_SUPPLEMENTARY_CODE_POINT;
        return ((high << 10) + low) + (MIN_SUPPLEMENTARY_CODE_POINT
                                       - (MIN_HIGH_SURROGATE << 10)
                                       - MIN_LOW_SURROGATE);
    }
}
