using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Nostr;
using ManifestBuild.TestSupport;
using static ManifestBuild.Relay.Tests.TestEvents;

namespace ManifestBuild.Relay.Tests;

/// <summary>The data file: events, replacements and deletions survive a restart; a torn last line does not hurt.</summary>
public sealed class EmbeddedRelayPersistenceTests
{
    [Fact]
    public async Task EventsReplacementsAndDeletions_SurviveARestart()
    {
        using var data = new TempDirectory("relay-data");
        var key = NostrKeyPair.Generate();
        var kept = Note(key, "kept", Now - 10);
        var deleted = Note(key, "deleted", Now - 9);
        var listingV1 = Listing(key, "complexity", ["rust"], "aa".PadRight(64, 'a'), Now - 8);
        var listingV2 = Listing(key, "complexity", ["rust"], "aa".PadRight(64, 'a'), Now - 7);
        var deletion = key.Sign(5, [Tag("e", deleted.Id)], "", Now - 6);
        var ephemeral = key.Sign(20000, [], "gone", Now - 5);

        await using (var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { DataPath = data.Path }))
        {
            foreach (var e in new[] { kept, deleted, listingV1, listingV2, deletion, ephemeral })
            {
                Assert.True(relay.Publish(e).Accepted);
            }
        }

        await using var restarted = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { DataPath = data.Path });
        await using var socket = await RawRelaySocket.ConnectAsync(restarted.Url);
        var all = await socket.QueryAsync(new NostrFilter { Authors = [key.PublicKeyHex] });
        var republishDeleted = await socket.PublishAsync(deleted);

        Assert.Equal(new[] { deletion.Id, listingV2.Id, kept.Id }, all.Select(e => e.Id));
        Assert.Equal(3, restarted.EventCount);
        Assert.Equal(0, restarted.SkippedOnReplay);
        Assert.False(republishDeleted.Accepted);
        Assert.Equal("blocked", RelayMessagePrefix.Of(republishDeleted.Message));
    }

    [Fact]
    public async Task TornLastLine_IsSkippedAndRepaired()
    {
        using var data = new TempDirectory("relay-data");
        var key = NostrKeyPair.Generate();
        var first = Note(key, "first", Now - 3);
        var second = Note(key, "second", Now - 2);
        await using (var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { DataPath = data.Path }))
        {
            relay.Publish(first);
        }

        // A crash in the middle of an append: half a JSON line, no newline.
        var file = Path.Combine(data.Path, "events.jsonl");
        var partial = NostrJson.SerializeEvent(second)[..80];
        await File.AppendAllTextAsync(file, partial);

        await using (var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { DataPath = data.Path }))
        {
            Assert.Equal(1, relay.EventCount);
            Assert.True(relay.Publish(second).Accepted);
        }

        int count, skipped;
        await using (var again = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { DataPath = data.Path }))
        {
            (count, skipped) = (again.EventCount, again.SkippedOnReplay);
        }

        var lines = await File.ReadAllLinesAsync(file);

        Assert.Equal(2, count);
        Assert.Equal(0, skipped);
        Assert.Equal(new[] { NostrJson.SerializeEvent(first), NostrJson.SerializeEvent(second) }, lines);
    }

    [Fact]
    public async Task CorruptLine_IsSkippedAndCounted_OtherEventsLoad()
    {
        using var data = new TempDirectory("relay-data");
        var key = NostrKeyPair.Generate();
        var good = Note(key, "good");
        var tampered = NostrJson.SerializeEvent(Note(key, "honest")).Replace("honest", "edited", StringComparison.Ordinal);
        data.Write("events.jsonl", "not json at all\n" + tampered + "\n" + NostrJson.SerializeEvent(good) + "\n");

        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { DataPath = data.Path });

        Assert.Equal(1, relay.EventCount);
        Assert.Equal(2, relay.SkippedOnReplay);
        Assert.Equal(good.Id, Assert.Single(relay.Query(new NostrFilter { Authors = [key.PublicKeyHex] })).Id);
    }

    [Fact]
    public async Task SecondRelayOnTheSameDataDirectory_IsRefused()
    {
        using var data = new TempDirectory("relay-data");
        await using var first = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { DataPath = data.Path });

        var e = await Assert.ThrowsAsync<DsrsException>(() => EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { DataPath = data.Path }));

        Assert.Equal(RelayErrorCodes.DataDirectoryUnavailable, e.Code);
        Assert.Contains("events.jsonl", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MostlyReplacedFile_IsCompactedAtStart()
    {
        using var data = new TempDirectory("relay-data");
        var key = NostrKeyPair.Generate();
        var versions = Enumerable.Range(0, 300).Select(i => key.Sign(0, [], "{\"v\":" + i + "}", Now - 1000 + i)).ToList();
        await using (var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { DataPath = data.Path }))
        {
            foreach (var v in versions)
            {
                relay.Publish(v);
            }
        }

        var file = Path.Combine(data.Path, "events.jsonl");
        var before = File.ReadAllLines(file).Length;
        await using (var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { DataPath = data.Path }))
        {
            Assert.Equal(versions[^1].Id, Assert.Single(relay.Query(new NostrFilter { Authors = [key.PublicKeyHex] })).Id);
        }

        var after = await File.ReadAllLinesAsync(file, Encoding.UTF8);
        Assert.Equal(300, before);
        Assert.Equal(new[] { NostrJson.SerializeEvent(versions[^1]) }, after);
    }
}
