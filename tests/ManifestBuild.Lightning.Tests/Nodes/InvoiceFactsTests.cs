using System.Text.Json.Nodes;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Nodes;

namespace ManifestBuild.Lightning.Tests.Nodes;

/// <summary>The adapters' reading of amount and payment hash, on BOLT #11's own examples (TestData/bolt11-vectors.json).</summary>
public sealed class InvoiceFactsTests
{
    private const string SpecHash = "0001020304050607080900010203040506070809000102030405060708090102";
    private static readonly JsonArray Vectors = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "bolt11-vectors.json")))!.AsArray();

    [Theory]
    [InlineData(0, null, "bc", SpecHash)]
    [InlineData(1, 250_000_000L, "bc", SpecHash)]
    [InlineData(4, 2_000_000_000L, "tb", SpecHash)]
    [InlineData(10, 967_878_534L, "bc", "462264ede7e14047e9b249da94fefc47f41f7d02ee9b091815a5506bc8abf75f")]
    [InlineData(12, 2_500_000_000L, "bc", SpecHash)]
    [InlineData(13, 2_500_000_000L, "bc", SpecHash)]
    public void Reads_the_amount_and_payment_hash_of_the_spec_examples(int index, long? amountMsat, string currency, string hash)
    {
        var facts = InvoiceFacts.Read((string)Vectors[index]!["inv"]!);

        Assert.Equal(new InvoiceFacts(hash, amountMsat, currency), facts);
    }

    [Theory]
    [InlineData(17)] // checksum
    [InlineData(18)] // no separator
    [InlineData(22)] // invalid multiplier
    [InlineData(23)] // sub-millisatoshi amount
    public void Refuses_the_unreadable_spec_examples(int index)
    {
        var error = Assert.Throws<DsrsException>(() => InvoiceFacts.Read((string)Vectors[index]!["inv"]!));

        Assert.Equal(NodeErrorCodes.UnreadableInvoice, error.Code);
    }

    [Fact]
    public async Task Adapters_refuse_an_amountless_invoice_before_calling_the_node()
    {
        await using var server = await FakeNodeServer.StartAsync((_, _) => { });
        await using var node = new PhoenixdNode(server.BaseUri, "pw");

        var error = await Assert.ThrowsAsync<DsrsException>(() => node.PayAsync((string)Vectors[0]!["inv"]!, 1_000_000, CancellationToken.None));

        Assert.Equal(NodeErrorCodes.AmountlessInvoice, error.Code);
        Assert.Empty(server.Requests);
    }
}
