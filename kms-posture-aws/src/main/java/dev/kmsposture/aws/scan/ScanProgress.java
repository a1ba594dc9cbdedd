package dev.kmsposture.aws.scan;

/**
 * How far a scan has come: accounts and keys found, scanned and failed. A key "failed" when it was
 * listed but some part of it could not be read (it stays in the snapshot, marked unreadable); an
 * account failed when it could not be scanned at all (its role could not be assumed, say). A
 * single-account scan counts one account.
 *
 * @param accountsFound accounts to scan
 * @param accountsScanned accounts whose scan finished (with or without unreadable parts)
 * @param accountsFailed accounts that could not be scanned
 * @param keysFound keys listed so far
 * @param keysScanned keys read so far (failed ones included)
 * @param keysFailed keys read with at least one unreadable part
 */
public record ScanProgress(
    int accountsFound,
    int accountsScanned,
    int accountsFailed,
    long keysFound,
    long keysScanned,
    long keysFailed) {}
