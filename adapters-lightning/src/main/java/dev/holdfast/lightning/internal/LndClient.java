package dev.holdfast.lightning.internal;

import dev.holdfast.lightning.LightningRailConfig;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass;
import org.lightningj.lnd.proto.LightningApi;
import org.lightningj.lnd.router.proto.RouterOuterClass;
import org.lightningj.lnd.wrapper.MacaroonClientInterceptor;
import org.lightningj.lnd.wrapper.StatusException;
import org.lightningj.lnd.wrapper.SynchronousLndAPI;
import org.lightningj.lnd.wrapper.ValidationException;
import org.lightningj.lnd.wrapper.invoices.AsynchronousInvoicesAPI;
import org.lightningj.lnd.wrapper.invoices.SynchronousInvoicesAPI;
import org.lightningj.lnd.wrapper.invoices.message.AddHoldInvoiceRequest;
import org.lightningj.lnd.wrapper.message.Invoice;
import org.lightningj.lnd.wrapper.message.Payment;
import org.lightningj.lnd.wrapper.router.AsynchronousRouterAPI;
import org.lightningj.lnd.wrapper.router.message.SendPaymentRequest;

/**
 * The calls the Lightning rail makes to LND, through LightningJ's wrappers over one channel. Unary calls get the
 * configured deadline; streams (SubscribeSingleInvoice, SendPaymentV2, TrackPaymentV2) go through LightningJ's
 * asynchronous API, because its synchronous subscribe collects the whole stream before returning. Every failure comes
 * out as an {@link LndException}. Thread-safe.
 */
public final class LndClient implements AutoCloseable {
    // LightningJ logs every request and response at FINE, settle requests (preimages) and settled invoices included.
    // Pinning its loggers at INFO keeps preimages out of any host's logs; strong references keep the levels alive.
    private static final List<Logger> QUIETED = List.of(
            quiet("org.lightningj.lnd.wrapper"),
            quiet("org.lightningj.lnd.wrapper.API"),
            quiet("org.lightningj.lnd.wrapper.SynchronousAPI"),
            quiet("org.lightningj.lnd.wrapper.AsynchronousAPI"),
            quiet("org.lightningj.lnd.wrapper.StreamObserverWrapper"));

    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final SynchronousInvoicesAPI invoices;
    private final AsynchronousInvoicesAPI asyncInvoices;
    private final SynchronousLndAPI lightning;
    private final AsynchronousRouterAPI router;

    /**
     * @param channel a channel that already carries TLS and the macaroon
     * @param callTimeout the deadline of unary calls
     * @param ownsChannel whether {@link #close()} shuts the channel down
     */
    public LndClient(ManagedChannel channel, Duration callTimeout, boolean ownsChannel) {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        ManagedChannel withDeadlines = new DeadlineChannel(channel, callTimeout);
        this.invoices = new SynchronousInvoicesAPI(withDeadlines);
        this.asyncInvoices = new AsynchronousInvoicesAPI(withDeadlines);
        this.lightning = new SynchronousLndAPI(withDeadlines);
        this.router = new AsynchronousRouterAPI(withDeadlines);
    }

    /**
     * Opens a TLS channel to the configured node that sends the macaroon with every call.
     *
     * @param config the configuration
     * @return the channel
     * @throws IOException when the certificate or macaroon cannot be read
     */
    public static ManagedChannel connect(LightningRailConfig config) throws IOException {
        TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
        if (config.tlsCertPem() != null) {
            try (InputStream pem = new ByteArrayInputStream(config.tlsCertPem().getBytes(StandardCharsets.US_ASCII))) {
                tls.trustManager(pem);
            }
        } else if (config.tlsCertPath() != null) {
            tls.trustManager(config.tlsCertPath().toFile());
        } else {
            throw new IOException("no TLS certificate configured: LND only speaks TLS");
        }
        ChannelCredentials credentials = tls.build();
        String macaroonHex;
        if (config.macaroonHex() != null) {
            macaroonHex = config.macaroonHex();
        } else if (config.macaroonPath() != null) {
            macaroonHex = HexFormat.of().formatHex(Files.readAllBytes(config.macaroonPath()));
        } else {
            throw new IOException("no macaroon configured");
        }
        return Grpc.newChannelBuilderForAddress(config.host(), config.port(), credentials)
                .intercept(new MacaroonClientInterceptor(() -> macaroonHex))
                .maxInboundMessageSize(50 * 1024 * 1024)
                .build();
    }

    /** AddHoldInvoice. @return the BOLT11 */
    public String addHoldInvoice(byte[] hash, long valueMsat, long expirySeconds, long cltvExpiry, String memo)
            throws LndException {
        InvoicesOuterClass.AddHoldInvoiceRequest request = InvoicesOuterClass.AddHoldInvoiceRequest.newBuilder()
                .setHash(com.google.protobuf.ByteString.copyFrom(hash))
                .setValueMsat(valueMsat)
                .setExpiry(expirySeconds)
                .setCltvExpiry(cltvExpiry)
                .setMemo(memo)
                .build();
        try {
            return invoices.addHoldInvoice(new AddHoldInvoiceRequest(request)).getPaymentRequest();
        } catch (StatusException | ValidationException | RuntimeException e) {
            throw LndException.from(e);
        }
    }

    /** SettleInvoice. @param preimage the preimage; not kept */
    public void settleInvoice(byte[] preimage) throws LndException {
        try {
            invoices.settleInvoice(preimage);
        } catch (StatusException | ValidationException | RuntimeException e) {
            throw LndException.from(e);
        }
    }

    /** CancelInvoice. @param hash the invoice's hash */
    public void cancelInvoice(byte[] hash) throws LndException {
        try {
            invoices.cancelInvoice(hash);
        } catch (StatusException | ValidationException | RuntimeException e) {
            throw LndException.from(e);
        }
    }

    /** LookupInvoice by hash. @return the invoice */
    public LightningApi.Invoice lookupInvoice(byte[] hash) throws LndException {
        try {
            return lightning.lookupInvoice(null, hash).getApiObject();
        } catch (StatusException | ValidationException | RuntimeException e) {
            throw LndException.from(e);
        }
    }

    /** DecodePayReq. @return the decoded invoice */
    public LightningApi.PayReq decodePayReq(String paymentRequest) throws LndException {
        try {
            return lightning.decodePayReq(paymentRequest).getApiObject();
        } catch (StatusException | ValidationException | RuntimeException e) {
            throw LndException.from(e);
        }
    }

    /** GetInfo. @return the node's block height */
    public int blockHeight() throws LndException {
        try {
            return lightning.getInfo().getBlockHeight();
        } catch (StatusException | ValidationException | RuntimeException e) {
            throw LndException.from(e);
        }
    }

    /**
     * SubscribeSingleInvoice through the asynchronous API. The stream runs in {@code context}; cancelling the context
     * ends it.
     */
    public void subscribeSingleInvoice(
            Context.CancellableContext context, byte[] hash, Listener<LightningApi.Invoice> listener) {
        context.run(() -> {
            try {
                asyncInvoices.subscribeSingleInvoice(hash, new Unwrapping<Invoice, LightningApi.Invoice>(listener));
            } catch (StatusException | ValidationException | RuntimeException e) {
                listener.onError(LndException.from(e));
            }
        });
    }

    /** SendPaymentV2 through the asynchronous API, in {@code context}. */
    public void sendPayment(
            Context.CancellableContext context,
            RouterOuterClass.SendPaymentRequest request,
            Listener<LightningApi.Payment> listener) {
        context.run(() -> {
            try {
                router.sendPaymentV2(
                        new SendPaymentRequest(request), new Unwrapping<Payment, LightningApi.Payment>(listener));
            } catch (StatusException | ValidationException | RuntimeException e) {
                listener.onError(LndException.from(e));
            }
        });
    }

    /** TrackPaymentV2 through the asynchronous API, in {@code context}. */
    public void trackPayment(Context.CancellableContext context, byte[] hash, Listener<LightningApi.Payment> listener) {
        context.run(() -> {
            try {
                router.trackPaymentV2(hash, false, new Unwrapping<Payment, LightningApi.Payment>(listener));
            } catch (StatusException | ValidationException | RuntimeException e) {
                listener.onError(LndException.from(e));
            }
        });
    }

    @Override
    public void close() {
        if (ownsChannel) {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What a stream reports, with LND's messages as protobuf objects and failures classified.
     *
     * @param <T> the message type
     */
    public interface Listener<T> {
        /** @param message the next message */
        void onNext(T message);

        /** @param error why the stream ended */
        void onError(LndException error);

        /** The stream ended normally. */
        void onCompleted();
    }

    private static final class Unwrapping<W extends org.lightningj.lnd.wrapper.Message<P>, P>
            implements StreamObserver<W> {
        private final Listener<P> listener;

        Unwrapping(Listener<P> listener) {
            this.listener = listener;
        }

        @Override
        public void onNext(W value) {
            listener.onNext(value.getApiObject());
        }

        @Override
        public void onError(Throwable t) {
            listener.onError(LndException.from(t));
        }

        @Override
        public void onCompleted() {
            listener.onCompleted();
        }
    }

    /** Gives every unary call a deadline, so a stuck node answers UNKNOWN instead of hanging a thread. */
    private static final class DeadlineChannel extends ManagedChannel {
        private final ManagedChannel delegate;
        private final long timeoutMillis;

        DeadlineChannel(ManagedChannel delegate, Duration timeout) {
            this.delegate = delegate;
            this.timeoutMillis = timeout.toMillis();
        }

        @Override
        public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
            CallOptions effective =
                    method.getType() == MethodDescriptor.MethodType.UNARY && options.getDeadline() == null
                            ? options.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                            : options;
            return delegate.newCall(method, effective);
        }

        @Override
        public String authority() {
            return delegate.authority();
        }

        @Override
        public ManagedChannel shutdown() {
            return delegate.shutdown();
        }

        @Override
        public boolean isShutdown() {
            return delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return delegate.isTerminated();
        }

        @Override
        public ManagedChannel shutdownNow() {
            return delegate.shutdownNow();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        if (logger.getLevel() == null || logger.getLevel().intValue() < Level.INFO.intValue()) {
            logger.setLevel(Level.INFO);
        }
        return logger;
    }
}
