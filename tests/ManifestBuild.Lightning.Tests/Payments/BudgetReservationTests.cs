using ManifestBuild.Lightning.Payments;

namespace ManifestBuild.Lightning.Tests.Payments;

/// <summary>Reservations of one build budget: set aside first, spent through their own budget, the rest given back.</summary>
public sealed class BudgetReservationTests
{
    [Fact]
    public void A_reservation_holds_its_amount_until_settled_and_gives_back_only_what_was_not_spent()
    {
        var budget = new BuildBudget(50_000);
        var a = budget.TryReserveFor(30_000)!;
        var b = budget.TryReserveFor(20_000)!;

        Assert.Null(budget.TryReserveFor(1));
        Assert.Equal(0, budget.RemainingMsat);
        Assert.Equal(30_000, a.Budget.TotalMsat);

        // a's purchase paid (the guard reserved from a's budget); b's turned out to cost nothing.
        Assert.True(a.Budget.TryReserve(30_000));
        Assert.False(a.Budget.TryReserve(1));
        Assert.Equal(30_000, a.Settle());
        Assert.Equal(0, b.Settle());
        Assert.Equal(0, b.Settle());

        Assert.Equal(30_000, budget.SpentMsat);
        Assert.Equal(20_000, budget.RemainingMsat);
    }

    [Fact]
    public void A_payment_the_node_refused_is_given_back_to_the_build_when_its_reservation_is_settled()
    {
        var budget = new BuildBudget(10_000);
        var reservation = budget.TryReserveFor(10_000)!;
        Assert.True(reservation.Budget.TryReserve(10_000));
        reservation.Budget.Release(10_000);

        Assert.Equal(0, reservation.Settle());
        Assert.Equal(10_000, budget.RemainingMsat);
    }

    [Fact]
    public async Task Reservations_taken_from_many_threads_at_once_never_exceed_the_budget()
    {
        var budget = new BuildBudget(1_000_000);
        using var start = new ManualResetEventSlim();
        var taken = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() =>
        {
            start.Wait(TimeSpan.FromSeconds(10));
            return Enumerable.Range(0, 50).Select(_ => budget.TryReserveFor(7_000)).Count(r => r is not null);
        })).Append(Task.Run(() =>
        {
            start.Set();
            return 0;
        })));

        Assert.Equal(1_000_000 / 7_000, taken.Sum());
        Assert.Equal(1_000_000 / 7_000 * 7_000, budget.SpentMsat);
    }
}
