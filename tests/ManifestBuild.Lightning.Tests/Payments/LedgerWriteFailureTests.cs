using ManifestBuild.Lightning.Payments;

namespace ManifestBuild.Lightning.Tests.Payments;

public sealed class LedgerWriteFailureTests
{
    [Fact]
    public void A_real_enospc_from_the_os_is_the_disk_full_code_not_an_unexpected_io_error()
    {
        if (!File.Exists("/dev/full"))
        {
            return; // /dev/full is the OS's own always-full device; without it there is no real ENOSPC to get
        }

        // Writing to /dev/full fails with ENOSPC exactly as a full disk does.
        var enospc = Assert.ThrowsAny<IOException>(() =>
        {
            using var full = new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
            full.Write(new byte[4096]);
            full.Flush(flushToDisk: true);
        });

        var error = PurchaseLedger.WriteFailure(enospc, "/home/u/.dsrs/ledger", new string('a', 64));

        Assert.Equal(PaymentErrorCodes.LedgerDiskFull, error.Code);
        Assert.Contains("the disk is full", error.Message);
    }

    [Fact]
    public void A_ledger_folder_that_cannot_be_written_is_the_write_failed_code()
    {
        using var temp = new ManifestBuild.TestSupport.TempDirectory("ledger-blocked");
        var blocker = temp.Write("ledger", "a file where the ledger folder should be");
        var ledger = new PurchaseLedger(blocker);
        var record = new PurchaseRecord
        {
            PaymentHash = new string('b', 64), CompiledId = new string('c', 64), Bolt11 = "lnbcrt1x", Token = "t", AmountMsat = 1,
            Payee = "02" + new string('d', 64), State = PurchaseState.Paying, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
        };

        var error = Assert.Throws<ManifestBuild.Format.DsrsException>(() => ledger.Save(record));

        Assert.Equal(PaymentErrorCodes.LedgerWriteFailed, error.Code);
    }
}
