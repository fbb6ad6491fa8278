using Routing.Contracts;
using Xunit.Sdk;
using static Routing.Tests.Ledger.LedgerSamples;

namespace Routing.Tests.Ledger;

/// <summary>The contract's comparison must itself be able to fail, or every round-trip test would pass vacuously.</summary>
public sealed class StructuralTests
{
    [Fact]
    public void EqualRecordsBuiltSeparatelyCompareEqual() =>
        Structural.Equal(Conversation("c1", ConversationState.Completed), Conversation("c1", ConversationState.Completed));

    [Fact]
    public void ADifferenceDeepInsideAListOfDictionariesIsReported()
    {
        var expected = Conversation("c1");
        var actual = expected with
        {
            Skills = [expected.Skills[0], new SkillRequirementStep(new Dictionary<string, int> { ["billing"] = 3 }, null)],
        };

        var error = Assert.ThrowsAny<XunitException>(() => Structural.Equal(expected, actual));

        Assert.Contains("Skills[1].Requirements[billing]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimesThatDifferByOneTickAreReported()
    {
        var expected = Queue("q1");

        Assert.ThrowsAny<XunitException>(() => Structural.Equal(expected, expected with { UpdatedAt = expected.UpdatedAt.AddTicks(1) }));
    }
}
