package dev.holdfast.jakarta.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * An account and its running balance. The version makes a balance read in a unit of work a precondition of that
 * unit's postings to the account: if another unit of work moved money on it meanwhile, the commit conflicts.
 */
@Entity
@Table(name = "holdfast_ledger_account")
class LedgerAccountRow {
    @Id
    @Column(name = "account_key")
    String accountKey;

    @Column(name = "account_type")
    String accountType;

    @Column(name = "account_owner")
    String accountOwner;

    @Column(name = "asset_code")
    String assetCode;

    @Column(name = "asset_scale")
    int assetScale;

    @Column(name = "balance_minor")
    long balanceMinor;

    @Version
    @Column(name = "row_version")
    long rowVersion;

    protected LedgerAccountRow() {}
}
