package dev.holdfast.lightning.simulator;

import io.grpc.stub.StreamObserver;
import java.util.HexFormat;
import org.lightningj.lnd.proto.LightningApi.AddInvoiceResponse;
import org.lightningj.lnd.proto.LightningApi.Amount;
import org.lightningj.lnd.proto.LightningApi.Chain;
import org.lightningj.lnd.proto.LightningApi.ChannelBalanceRequest;
import org.lightningj.lnd.proto.LightningApi.ChannelBalanceResponse;
import org.lightningj.lnd.proto.LightningApi.GetInfoRequest;
import org.lightningj.lnd.proto.LightningApi.GetInfoResponse;
import org.lightningj.lnd.proto.LightningApi.Invoice;
import org.lightningj.lnd.proto.LightningApi.PayReq;
import org.lightningj.lnd.proto.LightningApi.PayReqString;
import org.lightningj.lnd.proto.LightningApi.PaymentHash;
import org.lightningj.lnd.proto.LightningGrpc;

/**
 * LND's {@code lnrpc.Lightning} service, limited to what an escrow adapter calls: GetInfo, ChannelBalance,
 * AddInvoice, LookupInvoice and DecodePayReq. Thread-safe.
 */
final class LightningService extends LightningGrpc.LightningImplBase {
    private static final HexFormat HEX = HexFormat.of();
    private final SimulatedNode node;

    LightningService(SimulatedNode node) {
        this.node = node;
    }

    @Override
    public void getInfo(GetInfoRequest request, StreamObserver<GetInfoResponse> observer) {
        Calls.unary(node, observer, () -> GetInfoResponse.newBuilder()
                .setVersion("0.16.0-beta commit=holdfast-lnd-simulator")
                .setIdentityPubkey(node.identityPubkey())
                .setAlias("holdfast-lnd-simulator")
                .setNumActiveChannels(1)
                .setNumPeers(1)
                .setBlockHeight(node.blockHeight())
                .setBestHeaderTimestamp(node.now().getEpochSecond())
                .setSyncedToChain(true)
                .setSyncedToGraph(true)
                .setTestnet("testnet".equals(node.networkName()))
                .addChains(Chain.newBuilder().setChain("bitcoin").setNetwork(node.networkName()))
                .build());
    }

    @Override
    public void channelBalance(ChannelBalanceRequest request, StreamObserver<ChannelBalanceResponse> observer) {
        Calls.unary(node, observer, () -> {
            long msat = node.channelBalanceMsat();
            return ChannelBalanceResponse.newBuilder()
                    .setBalance(msat / 1000)
                    .setLocalBalance(Amount.newBuilder().setSat(msat / 1000).setMsat(msat))
                    .build();
        });
    }

    @Override
    public void addInvoice(Invoice request, StreamObserver<AddInvoiceResponse> observer) {
        Calls.unary(node, observer, () -> node.addInvoice(request));
    }

    @Override
    public void lookupInvoice(PaymentHash request, StreamObserver<Invoice> observer) {
        Calls.unary(node, observer, () -> {
            byte[] hash = request.getRHash().toByteArray();
            if (!request.getRHashStr().isEmpty()) {
                try {
                    hash = HEX.parseHex(request.getRHashStr());
                } catch (IllegalArgumentException e) {
                    throw SimulatedNode.lndError("unable to decode payment hash: " + e.getMessage());
                }
            }
            if (hash.length != 32) {
                throw SimulatedNode.lndError("payment hash must be exactly 32 bytes, is " + hash.length);
            }
            return node.lookupInvoice(hash);
        });
    }

    @Override
    public void decodePayReq(PayReqString request, StreamObserver<PayReq> observer) {
        Calls.unary(node, observer, () -> {
            Bolt11.Invoice inv;
            try {
                inv = Bolt11.decode(request.getPayReq());
            } catch (IllegalArgumentException e) {
                throw SimulatedNode.lndError(e.getMessage());
            }
            PayReq.Builder b = PayReq.newBuilder()
                    .setDestination(HEX.formatHex(inv.payee()))
                    .setPaymentHash(HEX.formatHex(inv.paymentHash()))
                    .setNumSatoshis(inv.amountMsat() / 1000)
                    .setNumMsat(inv.amountMsat())
                    .setTimestamp(inv.timestamp())
                    .setExpiry(inv.expirySeconds())
                    .setDescription(inv.description())
                    .setCltvExpiry(inv.minFinalCltvExpiry());
            if (inv.descriptionHash() != null) {
                b.setDescriptionHash(HEX.formatHex(inv.descriptionHash()));
            }
            if (inv.paymentSecret() != null) {
                b.setPaymentAddr(com.google.protobuf.ByteString.copyFrom(inv.paymentSecret()));
            }
            return b.build();
        });
    }
}
