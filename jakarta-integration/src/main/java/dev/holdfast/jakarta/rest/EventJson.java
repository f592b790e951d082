package dev.holdfast.jakarta.rest;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EvidenceAttachment;
import dev.holdfast.api.Money;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One event of an escrow's history: its type (the event record's name, e.g. {@code EscrowFunded}), its time, and its
 * fields as JSON.
 *
 * <p>The fields are derived from the event record's components rather than mapped one type at a time, so an event
 * type added to the engine shows up here without a change. The same conventions as the rest of the API apply: amounts
 * as {@code {minor, asset, scale}}, ids as strings, actors as {@code {role, party}}, instants and durations in
 * ISO-8601; members of sealed types (outcomes, instructions, destinations) carry a {@code type}. Evidence store
 * references are left out: the hash names the bytes.
 *
 * @param sequence the event's position in the escrow's history, from 1 (equals the view's {@code version} after it)
 * @param type the event's name
 * @param at when it happened
 * @param data the event's other fields
 */
@Schema(name = "EscrowEventEntry")
public record EventJson(long sequence, String type, Instant at, Map<String, Object> data) {

    /**
     * @param sequence position in the history, from 1
     * @param event the event
     * @return it as JSON
     */
    public static EventJson of(long sequence, EscrowEvent event) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (RecordComponent c : event.getClass().getRecordComponents()) {
            String name = c.getName();
            if (name.equals("escrowId") || name.equals("at")) {
                continue;
            }
            data.put(name, value(read(c, event)));
        }
        return new EventJson(sequence, event.getClass().getSimpleName(), event.at(), data);
    }

    static Object value(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof Instant || v instanceof Duration) {
            return v.toString();
        }
        if (v instanceof Money m) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("minor", m.minor());
            out.put("asset", m.asset().code());
            out.put("scale", m.asset().scale());
            return out;
        }
        if (v instanceof Asset a) {
            return Map.of("code", a.code(), "scale", a.scale());
        }
        if (v instanceof Actor a) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("role", a.role().name());
            out.put("party", a.party().value());
            return out;
        }
        if (v instanceof EvidenceAttachment a) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("mediaType", a.mediaType());
            out.put("size", a.size());
            out.put("sha256", a.sha256());
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) {
                out.add(value(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), value(x)));
            return out;
        }
        if (v instanceof Record r) {
            RecordComponent[] components = r.getClass().getRecordComponents();
            // typed ids (EscrowId, PartyId, TransferId, ...) are one String named value
            if (components.length == 1
                    && components[0].getName().equals("value")
                    && components[0].getType() == String.class) {
                return read(components[0], r);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            if (r.getClass().getInterfaces().length > 0) {
                out.put("type", r.getClass().getSimpleName());
            }
            for (RecordComponent c : components) {
                out.put(c.getName(), value(read(c, r)));
            }
            return out;
        }
        return v.toString();
    }

    private static Object read(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of an event", e);
        }
    }
}
