using System.Diagnostics;
using ManifestBuild.Nostr.Relays;

namespace ManifestBuild.Nostr.Tests;

/// <summary>
/// The pool's wait for its relays when every relay finishes at once: readers whose completions run
/// their continuations asynchronously (as socket reads do) leave a moment in which every reader is
/// done but their WhenAll is not yet, which once made the wait call Task.WhenAny on no tasks at all.
/// No sleeps: each round completes the readers, in one order, and awaits the wait with a bound.
/// </summary>
public sealed class RelayPoolCompletionRaceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task EveryRelayAnsweringAtOnceInEveryOrderEndsTheWaitWithoutAnError(int relays)
    {
        const int roundsPerOrder = 150;
        var orders = Permutations(Enumerable.Range(0, relays).ToArray()).ToArray();
        foreach (var order in orders)
        {
            for (var round = 0; round < roundsPerOrder; round++)
            {
                var states = Enumerable.Range(0, relays).Select(i => new RelayQueryState(new Uri($"ws://127.0.0.1:{1000 + i}/"), 4)).ToArray();
                var finish = states.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
                var abandon = states.Select(_ => new CancellationTokenSource()).ToArray();

                // One relay connected (so the wait first blocks on its readers), the others never connected.
                states[order[0]].MarkConnected();
                var wait = RelayPool.WaitForRelaysAsync(states, finish.Select(f => f.Task).ToArray(), abandon, Stopwatch.StartNew(), TimeSpan.FromSeconds(30), CancellationToken.None);

                states[order[0]].EoseAfter = TimeSpan.FromMilliseconds(1);
                foreach (var i in order)
                {
                    finish[i].SetResult();
                }

                await wait.WaitAsync(TimeSpan.FromSeconds(10));
                Assert.All(states, s => Assert.False(s.Abandoned));
                foreach (var source in abandon)
                {
                    source.Dispose();
                }
            }
        }
    }

    [Fact]
    public async Task RelaysFinishingFromSeveralThreadsAtOnceEndTheWait()
    {
        for (var round = 0; round < 300; round++)
        {
            var states = Enumerable.Range(0, 3).Select(i => new RelayQueryState(new Uri($"ws://127.0.0.1:{2000 + i}/"), 4)).ToArray();
            var finish = states.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
            var abandon = states.Select(_ => new CancellationTokenSource()).ToArray();
            states[0].MarkConnected();
            states[0].EoseAfter = TimeSpan.FromMilliseconds(1);
            var wait = RelayPool.WaitForRelaysAsync(states, finish.Select(f => f.Task).ToArray(), abandon, Stopwatch.StartNew(), TimeSpan.FromSeconds(30), CancellationToken.None);

            using var go = new Barrier(finish.Length);
            var threads = finish.Select(f => Task.Run(() =>
            {
                go.SignalAndWait(TimeSpan.FromSeconds(10));
                f.SetResult();
            })).ToArray();

            await Task.WhenAll(threads).WaitAsync(TimeSpan.FromSeconds(10));
            await wait.WaitAsync(TimeSpan.FromSeconds(10));
            foreach (var source in abandon)
            {
                source.Dispose();
            }
        }
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }
}
