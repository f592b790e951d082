package dev.holdfast.core.internal.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One canonical JSON encoding for records, used for the audit chain's hashes, outbox payloads, request hashes and
 * persisted events. Canonical means: record components in declaration order, map keys sorted, no whitespace, longs
 * as JSON numbers, instants and durations in ISO-8601, a value of a sealed interface tagged with {@code "@type"}.
 * The same value always gives the same bytes, so hashes over it are stable across nodes and versions.
 *
 * <p>Supported: records, enums, {@link String}, {@code long}/{@code int}/{@code boolean} and boxes, {@link Instant},
 * {@link Duration}, {@link List}, {@link Map} with {@link String} keys, and {@code null}. Thread-safe.
 */
public final class CanonicalJson {
    private static final Map<Class<?>, Constructor<?>> CONSTRUCTORS = new ConcurrentHashMap<>();

    /** What encoding needs to know of a record type, computed once per class: reflection is slow on the hot path. */
    private record Shape(RecordComponent[] components, MethodHandle[] accessors, boolean id, boolean tagged) {}

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] rc = type.getRecordComponents();
            MethodHandle[] accessors = new MethodHandle[rc.length];
            for (int i = 0; i < rc.length; i++) {
                try {
                    // (Object)Object lets read() use invokeExact, which skips the generic invoke's type checks
                    accessors[i] = MethodHandles.publicLookup()
                            .unreflect(rc[i].getAccessor())
                            .asType(MethodType.methodType(Object.class, Object.class));
                } catch (IllegalAccessException e) {
                    throw new IllegalArgumentException("cannot read " + rc[i], e);
                }
            }
            boolean id = rc.length == 1 && rc[0].getName().equals("value") && rc[0].getType() == String.class;
            boolean tagged = false;
            for (Class<?> i : type.getInterfaces()) {
                tagged |= i.isSealed();
            }
            return new Shape(rc, accessors, id, tagged);
        }
    };

    private CanonicalJson() {}

    /**
     * @param value a supported value
     * @return its canonical JSON
     */
    public static String encode(Object value) {
        StringBuilder out = BUFFER.get();
        out.setLength(0);
        write(out, value, true);
        String json = out.toString();
        if (out.capacity() > 64 * 1024) {
            // do not keep a huge buffer alive on a pooled thread after one unusually large value
            BUFFER.remove();
        }
        return json;
    }

    /** Events are one to two kilobytes; growing a fresh builder to that size for each was a visible cost. */
    private static final ThreadLocal<StringBuilder> BUFFER = ThreadLocal.withInitial(() -> new StringBuilder(4096));

    /**
     * @param value a supported value
     * @return hex SHA-256 of its canonical JSON
     */
    public static String sha256(Object value) {
        return sha256Hex(encode(value));
    }

    /**
     * @param text any text
     * @return hex SHA-256 of its UTF-8 bytes
     */
    public static String sha256Hex(String text) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return HEX.formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static final HexFormat HEX = HexFormat.of();

    /** Looking a digest up by name goes through the provider's reflection each time; one per thread is enough. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    /**
     * @param instant an instant
     * @return exactly {@link Instant#toString()}, faster
     */
    public static String instant(Instant instant) {
        StringBuilder out = new StringBuilder(32);
        IsoInstant.write(out, instant);
        return out.toString();
    }

    /**
     * @param json canonical JSON made by {@link #encode}
     * @param type the record, enum or sealed interface to read it as
     * @param <T> the type
     * @return the value
     */
    public static <T> T decode(String json, Class<T> type) {
        Object tree = new Parser(json).parseValue();
        return type.cast(convert(tree, type));
    }

    // --- encoding

    private static void write(StringBuilder out, Object value, boolean tagSealed) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            out.append(value);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Enum<?> e) {
            writeString(out, e.name());
        } else if (value instanceof Instant i) {
            out.append('"');
            IsoInstant.write(out, i);
            out.append('"');
        } else if (value instanceof Duration d) {
            writeString(out, d.toString());
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, list.get(i), true);
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, (String) e.getKey());
                out.append(':');
                write(out, e.getValue(), true);
            }
            out.append('}');
        } else if (value instanceof Record record) {
            writeRecord(out, record, tagSealed);
        } else {
            throw new IllegalArgumentException(
                    "cannot encode " + value.getClass().getName());
        }
    }

    private static void writeRecord(StringBuilder out, Record record, boolean tagSealed) {
        Shape shape = SHAPES.get(record.getClass());
        if (shape.id()) {
            // typed ids read as plain strings: {"escrowId":"e-1"} rather than {"escrowId":{"value":"e-1"}}
            write(out, read(shape, 0, record), false);
            return;
        }
        out.append('{');
        boolean first = true;
        if (tagSealed && shape.tagged()) {
            writeString(out, "@type");
            out.append(':');
            writeString(out, record.getClass().getSimpleName());
            first = false;
        }
        RecordComponent[] rc = shape.components();
        for (int i = 0; i < rc.length; i++) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(out, rc[i].getName());
            out.append(':');
            write(out, read(shape, i, record), true);
        }
        out.append('}');
    }

    private static Object read(Shape shape, int i, Record record) {
        try {
            return (Object) shape.accessors()[i].invokeExact((Object) record);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read " + shape.components()[i], e);
        }
    }

    private static boolean isIdType(Class<?> type) {
        return SHAPES.get(type).id();
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        out.append('"');
    }

    private static RecordComponent[] components(Class<?> type) {
        return SHAPES.get(type).components();
    }

    // --- decoding: JSON tree (Map, List, String, Long, Boolean, null) to typed values

    private static Object convert(Object tree, Type type) {
        if (tree == null) {
            return null;
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                List<Object> out = new ArrayList<>();
                for (Object item : (List<?>) tree) {
                    out.add(convert(item, args[0]));
                }
                return List.copyOf(out);
            }
            if (Map.class.isAssignableFrom(raw)) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) tree).entrySet()) {
                    out.put((String) e.getKey(), convert(e.getValue(), args[1]));
                }
                return Map.copyOf(out);
            }
            return convert(tree, raw);
        }
        if (type instanceof WildcardType w) {
            return convert(tree, w.getUpperBounds()[0]);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return tree;
        }
        if (c == long.class || c == Long.class) {
            return ((Number) tree).longValue();
        }
        if (c == int.class || c == Integer.class) {
            return ((Number) tree).intValue();
        }
        if (c == boolean.class || c == Boolean.class) {
            return tree;
        }
        if (c == Instant.class) {
            return Instant.parse((String) tree);
        }
        if (c == Duration.class) {
            return Duration.parse((String) tree);
        }
        if (c.isEnum()) {
            return enumValue(c, (String) tree);
        }
        if (c.isInterface() && c.isSealed()) {
            String tag = (String) ((Map<?, ?>) tree).get("@type");
            return convert(tree, permitted(c, tag));
        }
        if (c.isRecord() && isIdType(c) && tree instanceof String text) {
            return readRecord(Map.of("value", text), c);
        }
        if (c.isRecord()) {
            return readRecord((Map<?, ?>) tree, c);
        }
        throw new IllegalArgumentException("cannot decode " + c.getName());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> c, String name) {
        return Enum.valueOf((Class) c, name);
    }

    private static Class<?> permitted(Class<?> sealed, String simpleName) {
        for (Class<?> p : sealed.getPermittedSubclasses()) {
            if (p.getSimpleName().equals(simpleName)) {
                return p;
            }
            if (p.isInterface() && p.isSealed()) {
                try {
                    return permitted(p, simpleName);
                } catch (IllegalArgumentException notThere) {
                    // keep looking in the other branches
                }
            }
        }
        throw new IllegalArgumentException(sealed.getName() + " has no subtype " + simpleName);
    }

    private static Object readRecord(Map<?, ?> fields, Class<?> type) {
        RecordComponent[] rc = components(type);
        Object[] args = new Object[rc.length];
        for (int i = 0; i < rc.length; i++) {
            args[i] = convert(fields.get(rc[i].getName()), rc[i].getGenericType());
        }
        try {
            Constructor<?> ctor = CONSTRUCTORS.computeIfAbsent(type, t -> {
                Class<?>[] types = new Class<?>[rc.length];
                for (int i = 0; i < rc.length; i++) {
                    types[i] = rc[i].getType();
                }
                try {
                    return t.getDeclaredConstructor(types);
                } catch (NoSuchMethodException e) {
                    throw new IllegalStateException(e);
                }
            });
            return ctor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot build " + type.getName(), e);
        }
    }

    /** A small strict JSON parser for what {@link #encode} writes. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Object parseValue() {
            skipSpace();
            char ch = s.charAt(i);
            return switch (ch) {
                case '{' -> parseObject();
                case '[' -> parseArray();
                case '"' -> parseString();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> parseNumber();
            };
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, i)) {
                throw new IllegalArgumentException("bad JSON at " + i);
            }
            i += word.length();
            return value;
        }

        private Map<String, Object> parseObject() {
            Map<String, Object> out = new LinkedHashMap<>();
            i++;
            skipSpace();
            if (s.charAt(i) == '}') {
                i++;
                return out;
            }
            while (true) {
                skipSpace();
                String key = parseString();
                skipSpace();
                expect(':');
                out.put(key, parseValue());
                skipSpace();
                if (s.charAt(i) == ',') {
                    i++;
                } else {
                    expect('}');
                    return out;
                }
            }
        }

        private List<Object> parseArray() {
            List<Object> out = new ArrayList<>();
            i++;
            skipSpace();
            if (s.charAt(i) == ']') {
                i++;
                return out;
            }
            while (true) {
                out.add(parseValue());
                skipSpace();
                if (s.charAt(i) == ',') {
                    i++;
                } else {
                    expect(']');
                    return out;
                }
            }
        }

        private String parseString() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char ch = s.charAt(i++);
                if (ch == '"') {
                    return out.toString();
                }
                if (ch == '\\') {
                    char esc = s.charAt(i++);
                    switch (esc) {
                        case 'n' -> out.append('\n');
                        case 'r' -> out.append('\r');
                        case 't' -> out.append('\t');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> out.append(esc);
                    }
                } else {
                    out.append(ch);
                }
            }
        }

        private Long parseNumber() {
            int start = i;
            if (s.charAt(i) == '-') {
                i++;
            }
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            return Long.parseLong(s.substring(start, i));
        }

        private void expect(char ch) {
            if (s.charAt(i) != ch) {
                throw new IllegalArgumentException("expected '" + ch + "' at " + i);
            }
            i++;
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
