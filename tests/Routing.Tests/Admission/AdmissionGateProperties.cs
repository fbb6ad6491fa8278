using CsCheck;
using Routing.Contracts;

namespace Routing.Tests.Admission;

/// <summary>The door for new conversations: never more than its limit inside, every attempt either let in or refused, nothing left
/// held.</summary>
public sealed class AdmissionGateProperties
{
    [Fact]
    public void AnySequenceOfEnteringAndLeavingKeepsTheLimitAndCountsEveryAttempt() =>
        Gen.Select(Gen.Int[1, 8], Gen.Bool.Array[0, 200])
            .Sample(
                (limit, enters) =>
                {
                    var gate = new AdmissionGate(new AdmissionOptions { MaxCreatesInFlight = limit });
                    var held = new Queue<AdmissionGate.Admission>();
                    foreach (var enter in enters)
                    {
                        if (enter)
                        {
                            var admission = gate.TryEnter();
                            Assert.Equal(held.Count < limit, admission.Admitted);
                            if (admission.Admitted)
                            {
                                held.Enqueue(admission);
                            }
                        }
                        else if (held.Count > 0)
                        {
                            held.Dequeue().Dispose();
                        }
                        Assert.Equal(held.Count, gate.InFlight);
                    }
                    Assert.Equal(enters.Count(e => e), gate.Admitted + gate.Refused);
                    while (held.Count > 0)
                    {
                        held.Dequeue().Dispose();
                    }
                    Assert.Equal(0, gate.InFlight);
                },
                iter: 2_000
            );

    [Fact]
    public async Task ManyThreadsAtOnceNeverHaveMoreThanTheLimitInside()
    {
        const int Limit = 3;
        var gate = new AdmissionGate(new AdmissionOptions { MaxCreatesInFlight = Limit });
        var inside = 0;
        var most = 0;
        await Task.WhenAll(
            Enumerable
                .Range(0, 4)
                .Select(_ =>
                    Task.Run(() =>
                    {
                        for (var i = 0; i < 20_000; i++)
                        {
                            using var admission = gate.TryEnter();
                            if (admission.Admitted)
                            {
                                var now = Interlocked.Increment(ref inside);
                                InterlockedMax(ref most, now);
                                Interlocked.Decrement(ref inside);
                            }
                        }
                    })
                )
        );

        Assert.InRange(most, 1, Limit);
        Assert.Equal(0, gate.InFlight);
        Assert.Equal(80_000, gate.Admitted + gate.Refused);
    }

    [Fact]
    public void ARefusalHoldsNothingAndDisposingItIsHarmless()
    {
        var gate = new AdmissionGate(new AdmissionOptions { MaxCreatesInFlight = 1 });
        using var first = gate.TryEnter();
        var refused = gate.TryEnter();

        refused.Dispose();
        refused.Dispose();

        Assert.False(refused.Admitted);
        Assert.Equal(1, gate.InFlight);
        Assert.Equal(TimeSpan.FromSeconds(1), gate.RetryAfter);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }
}
