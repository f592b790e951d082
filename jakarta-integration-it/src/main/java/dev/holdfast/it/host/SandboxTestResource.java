package dev.holdfast.it.host;

import dev.holdfast.api.Asset;
import dev.holdfast.api.RailId;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.sandbox.SandboxRail;
import dev.holdfast.jakarta.cdi.HoldfastRails;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * TEST HOST ONLY, never in a real host: steers the sandbox rail over HTTP, because the buyer's payment happens outside
 * the plugin. {@code POST test/sandbox/fund/{transferId}} is the buyer paying a funding instruction ({@link
 * SandboxRail#fund}); {@code GET test/sandbox/paid-to/{address}} tells what the sandbox paid to a rail address.
 */
@RequestScoped
@Path("test/sandbox")
@Produces(MediaType.APPLICATION_JSON)
public class SandboxTestResource {
    @Inject
    HoldfastRails rails;

    private SandboxRail sandbox() {
        return rails.unwrap(RailId.of("sandbox"), SandboxRail.class)
                .orElseThrow(() -> new IllegalStateException("the sandbox rail is not enabled"));
    }

    @POST
    @Path("fund/{transferId}")
    public String fund(@PathParam("transferId") String transferId) {
        boolean paid = sandbox().fund(TransferId.of(transferId));
        return Json.createObjectBuilder().add("paid", paid).build().toString();
    }

    @GET
    @Path("paid-to/{address}")
    public String paidTo(@PathParam("address") String address) {
        return Json.createObjectBuilder()
                .add("minor", sandbox().paidTo(address, Asset.USD))
                .build()
                .toString();
    }
}
