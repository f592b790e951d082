package dev.holdfast.examples.simrails;

import dev.holdfast.lightning.simulator.LndSimulator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The simulated payees' Lightning service: invoices issued by the simulator's remote ("seller") node, booked per wallet
 * name, so that each simulated wallet can read what it received. Serves LNURL-pay (LUD-06) for Lightning addresses
 * (LUD-16) {@code <name>@127.0.0.1} through {@link LocalEndpoints}. Thread-safe.
 */
final class LightningAddresses {
    private final LndSimulator lnd;
    private final Map<String, List<String>> invoices = new ConcurrentHashMap<>();

    LightningAddresses(LndSimulator lnd) {
        this.lnd = lnd;
    }

    void register(String name) {
        invoices.putIfAbsent(name, new CopyOnWriteArrayList<>());
    }

    boolean known(String name) {
        return invoices.containsKey(name);
    }

    /** The LUD-06 metadata of a name; the callback's invoices commit to its SHA-256. */
    static String metadata(String name) {
        return "[[\"text/plain\",\"Payment to " + name + " (simulated wallet)\"],[\"text/identifier\",\"" + name + "@"
                + LocalEndpoints.HOST + "\"]]";
    }

    String invoice(String name, long amountMsat) {
        String pr = lnd.createSellerInvoice(amountMsat);
        book(name, pr);
        return pr;
    }

    String invoiceForLnurl(String name, long amountMsat) {
        String pr = lnd.createSellerInvoiceForDescription(amountMsat, metadata(name));
        book(name, pr);
        return pr;
    }

    private void book(String name, String pr) {
        List<String> mine = invoices.get(name);
        if (mine == null) {
            throw new IllegalArgumentException("no simulated Lightning wallet " + name);
        }
        mine.add(pr);
    }

    long receivedMsat(String name) {
        long sum = 0;
        for (String pr : invoices.getOrDefault(name, List.of())) {
            sum = Math.addExact(sum, lnd.sellerInvoiceReceivedMsat(pr));
        }
        return sum;
    }
}
