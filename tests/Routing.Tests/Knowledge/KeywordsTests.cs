using Routing.Contracts;
using Routing.Knowledge;

namespace Routing.Tests.Knowledge;

/// <summary>
/// The keyword report's terms (docs/self-service.md, "Keywords"): Chinese words of two characters or more and English
/// stems, stop words and particles out, a term counted once per message, ranked per interval.
/// </summary>
public sealed class KeywordsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AMessagesTermsAreItsChineseWordsAndEnglishStemsWithoutParticlesOrStopWords()
    {
        var terms = Keywords.Of("我的快递怎么还没到？Where is my parcel, the parcels are late");

        Assert.Contains("快递", terms);
        Assert.Contains("parcel", terms);
        Assert.Contains("late", terms);
        Assert.DoesNotContain("我", terms);
        Assert.DoesNotContain("the", terms);
        Assert.Single(terms, t => t == "parcel"); // once per message
    }

    [Fact]
    public void EachIntervalRanksItsTermsByTheMessagesTheyAppearIn()
    {
        FirstMessage[] messages =
        [
            new("q", T0.AddMinutes(1), "refund please"),
            new("q", T0.AddMinutes(2), "my refund is late"),
            new("q", T0.AddMinutes(3), "退款 还没 到账"),
            new("q", T0.AddMinutes(70), "退款 多久"),
            new("q", T0.AddMinutes(71), null),
        ];

        var rows = Keywords.Top(messages, T0, T0.AddHours(2), TimeSpan.FromHours(1), top: 2);

        Assert.Equal(
            [(T0, 1, "refund", 2), (T0, 2, "late", 1), (T0.AddHours(1), 1, "多久", 1), (T0.AddHours(1), 2, "退款", 1)],
            rows.Select(r => (r.Start, r.Rank, r.Term, r.Conversations))
        );
    }
}
