package dev.holdfast.jakarta.rest;

import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.jakarta.security.Caller;
import dev.holdfast.jakarta.security.CallerResolver;
import dev.holdfast.jakarta.security.EscrowAccess;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Objects;

/** What every resource needs: the engine, the access rules, the settings. Immutable and thread-safe. */
final class Api {
    final EscrowEngine engine;
    final EscrowAccess access;
    final RestSettings settings;

    Api(EscrowEngine engine, CallerResolver callers, RestSettings settings) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.access = new EscrowAccess(engine, Objects.requireNonNull(callers, "callers"));
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    Caller caller(SecurityContext security) {
        return access.caller(security);
    }

    static IdempotencyKey key(String header, Caller caller, String operation) {
        return IdempotencyKeys.of(header, caller, operation);
    }

    static Views.EscrowJson json(EscrowView view, Caller caller) {
        return Views.EscrowJson.of(view, EscrowAccess.roles(caller, view));
    }

    static MilestoneId milestoneOrNull(String value) {
        return value == null || value.isEmpty() ? null : MilestoneId.of(value);
    }

    static int parseInt(String value, String name, int min, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new EscrowException(
                ErrorCode.INVALID_REQUEST, name + " must be a whole number from " + min + " to " + max);
    }
}
