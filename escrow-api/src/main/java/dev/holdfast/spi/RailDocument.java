package dev.holdfast.spi;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;
import dev.holdfast.api.TransferId;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A flat document of named text fields, the text a rail keeps in a {@link RailRecords.RailRecord}: one {@code
 * name=value} line per field after a format line, so it stays readable in the database. Typed helpers write and read
 * back {@link Money}, {@link Instant}, enums, {@link TransferId} and {@link RailError} exactly; a field that is
 * absent reads as {@code null}, an empty string stays an empty string.
 *
 * <p>Values escape backslash, line feed and carriage return, so any string survives. Field names are letters,
 * digits, {@code .}, {@code _} and {@code -}. Immutable and thread-safe; the {@link Builder} is not.
 *
 * @since 0.6
 */
public final class RailDocument {
    /** The first line of every document: the format and its version. */
    public static final String FORMAT = "holdfast-rail-document/1";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final Map<String, String> fields;

    private RailDocument(Map<String, String> fields) {
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** @return a builder for a new document */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param text what {@link #text()} gave
     * @return the document
     * @throws IllegalArgumentException when the text is not such a document
     */
    public static RailDocument parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] lines = text.split("\n", -1);
        if (!lines[0].equals(FORMAT)) {
            throw new IllegalArgumentException("not a " + FORMAT + " document");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) {
                break;
            }
            int eq = line.indexOf('=');
            if (eq < 0 || !NAME.matcher(line.substring(0, eq)).matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not name=value");
            }
            if (fields.put(line.substring(0, eq), unescape(line.substring(eq + 1))) != null) {
                throw new IllegalArgumentException("field " + line.substring(0, eq) + " given twice");
            }
        }
        return new RailDocument(fields);
    }

    /** @return the document as text, for {@link #parse} */
    public String text() {
        StringBuilder s = new StringBuilder(FORMAT).append('\n');
        fields.forEach((k, v) -> s.append(k).append('=').append(escape(v)).append('\n'));
        return s.toString();
    }

    /** @return the fields, in the order written */
    public Map<String, String> fields() {
        return fields;
    }

    /**
     * @param name a field
     * @return its value, or null when absent
     */
    public String string(String name) {
        return fields.get(name);
    }

    /**
     * @param name a field
     * @return its value
     * @throws IllegalArgumentException when absent or not a whole number
     */
    public long longValue(String name) {
        try {
            return Long.parseLong(required(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field " + name + " is not a whole number", e);
        }
    }

    /**
     * @param name a field
     * @return its value
     * @throws IllegalArgumentException when absent or neither {@code true} nor {@code false}
     */
    public boolean booleanValue(String name) {
        String v = required(name);
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("field " + name + " is not a boolean");
        };
    }

    /**
     * @param name a field
     * @param type the enum
     * @param <E> the enum
     * @return the constant, or null when absent
     */
    public <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        String v = fields.get(name);
        return v == null ? null : Enum.valueOf(type, v);
    }

    /**
     * @param name a field
     * @return the instant, or null when absent
     */
    public Instant instant(String name) {
        String v = fields.get(name);
        return v == null ? null : Instant.parse(v);
    }

    /**
     * @param name a field
     * @return the transfer id, or null when absent
     */
    public TransferId transferId(String name) {
        String v = fields.get(name);
        return v == null ? null : TransferId.of(v);
    }

    /**
     * @param name a field
     * @return the amount, or null when absent
     */
    public Money money(String name) {
        String v = fields.get(name);
        if (v == null) {
            return null;
        }
        String[] p = v.split(" ", -1);
        if (p.length != 3) {
            throw new IllegalArgumentException("field " + name + " is not 'minor code scale'");
        }
        return Money.of(Long.parseLong(p[0]), new Asset(p[1], Integer.parseInt(p[2])));
    }

    /**
     * @param name a field, written by {@link Builder#put(String, RailError)}
     * @return the error, or null when absent
     */
    public RailError error(String name) {
        String code = fields.get(name + ".code");
        return code == null ? null : new RailError(code, fields.get(name + ".message"));
    }

    private String required(String name) {
        String v = fields.get(name);
        if (v == null) {
            throw new IllegalArgumentException("field " + name + " is missing");
        }
        return v;
    }

    private static String escape(String v) {
        StringBuilder s = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                default -> s.append(c);
            }
        }
        return s.toString();
    }

    private static String unescape(String v) {
        StringBuilder s = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '\\') {
                s.append(c);
                continue;
            }
            if (++i == v.length()) {
                throw new IllegalArgumentException("a value ends in a lone backslash");
            }
            s.append(
                    switch (v.charAt(i)) {
                        case '\\' -> '\\';
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        default -> throw new IllegalArgumentException("unknown escape \\" + v.charAt(i));
                    });
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RailDocument d && d.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return "RailDocument" + fields.keySet();
    }

    /**
     * Writes a document's fields. A {@code null} value writes nothing, so it reads back as {@code null}. Not
     * thread-safe.
     *
     * @since 0.6
     */
    public static final class Builder {
        private final Map<String, String> fields = new LinkedHashMap<>();

        private Builder() {}

        /**
         * @param name the field
         * @param value its value, or null to leave it out
         * @return this builder
         * @throws IllegalArgumentException when the name is not letters, digits, {@code .}, {@code _}, {@code -}, or
         *     was written before
         */
        public Builder put(String name, String value) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("field name " + name);
            }
            if (value != null && fields.put(name, value) != null) {
                throw new IllegalArgumentException("field " + name + " written twice");
            }
            return this;
        }

        /** @param name the field @param value its value @return this builder */
        public Builder put(String name, long value) {
            return put(name, Long.toString(value));
        }

        /** @param name the field @param value its value @return this builder */
        public Builder put(String name, boolean value) {
            return put(name, Boolean.toString(value));
        }

        /** @param name the field @param value its value, or null @return this builder */
        public Builder put(String name, Enum<?> value) {
            return put(name, value == null ? null : value.name());
        }

        /** @param name the field @param value its value, or null @return this builder */
        public Builder put(String name, Instant value) {
            return put(name, value == null ? null : value.toString());
        }

        /** @param name the field @param value its value, or null @return this builder */
        public Builder put(String name, TransferId value) {
            return put(name, value == null ? null : value.value());
        }

        /** @param name the field @param value its value, or null @return this builder */
        public Builder put(String name, Money value) {
            return put(
                    name,
                    value == null
                            ? null
                            : value.minor() + " " + value.asset().code() + " "
                                    + value.asset().scale());
        }

        /**
         * Writes {@code name.code} and {@code name.message}.
         *
         * @param name the field
         * @param value its value, or null
         * @return this builder
         */
        public Builder put(String name, RailError value) {
            if (value != null) {
                put(name + ".code", value.code());
                put(name + ".message", value.message());
            }
            return this;
        }

        /** @return the document */
        public RailDocument build() {
            return new RailDocument(fields);
        }
    }
}
