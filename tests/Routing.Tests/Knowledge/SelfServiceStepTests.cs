using Routing.Contracts;
using Routing.Contracts.Knowledge;
using Routing.Grains.Conversations;

namespace Routing.Tests.Knowledge;

/// <summary>
/// What the self-service step does with a customer's message (docs/self-service.md): asking for a person, in English or
/// Chinese, escalates; a question the knowledge base answers well gets one answer (bot-first) or a few (suggest); one it
/// cannot answer is escalated as unanswered.
/// </summary>
public sealed class SelfServiceStepTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("人工")]
    [InlineData("转人工！")]
    [InlineData("我要人工")]
    [InlineData("人工客服")]
    [InlineData("Agent")]
    [InlineData("agent please")]
    [InlineData("I want a human")]
    [InlineData("请转人工")]
    [InlineData("  HUMAN. ")]
    [InlineData("Can I talk to a person?")]
    [InlineData("please connect me with an agent")]
    public void AskingForAPersonIsKnownInEitherLanguage(string text) => Assert.True(SelfServiceStep.AsksForPerson(text));

    [Theory]
    [InlineData("人工智能是什么")]
    [InlineData("my parcel is late")]
    [InlineData("the agent who delivered it was rude")]
    [InlineData("退货怎么办")]
    public void AQuestionThatMentionsNoRequestForAPersonIsNotOne(string text) => Assert.False(SelfServiceStep.AsksForPerson(text));

    [Fact]
    public void BotFirstAnswersWithTheBestGoodMatchAndSuggestWithTheBestFew()
    {
        KnowledgeHit[] hits = [Hit("a", 0.9), Hit("b", 0.7), Hit("c", 0.6), Hit("d", 0.55), Hit("e", 0.2)];

        var first = Assert.IsType<SelfServiceStep.Answer>(SelfServiceStep.Decide(SelfServiceModes.BotFirst, "return", hits));
        var suggested = Assert.IsType<SelfServiceStep.Answer>(SelfServiceStep.Decide(SelfServiceModes.Suggest, "return", hits));

        Assert.Equal(["a"], first.Articles.Select(a => a.ArticleId));
        Assert.Equal(["a", "b", "c"], suggested.Articles.Select(a => a.ArticleId));
    }

    [Fact]
    public void NoGoodMatchEscalatesAsUnansweredAndAskingForAPersonEscalatesEvenWithAnAnswer()
    {
        Assert.Equal(
            new SelfServiceStep.Escalate(SelfServiceStep.NoAnswer),
            SelfServiceStep.Decide(SelfServiceModes.BotFirst, "xyzzy", [Hit("a", KnowledgeHit.GoodCoverage - 0.01)])
        );
        Assert.Equal(
            new SelfServiceStep.Escalate(SelfServiceStep.AskedForPerson),
            SelfServiceStep.Decide(SelfServiceModes.Suggest, "人工", [Hit("a", 1)])
        );
    }

    [Fact]
    public void AConversationCreatedIntoTheStepWaitsForNoOneUntilItIsEscalatedAndEndsWhenResolved()
    {
        var request = new StartConversation(
            "chat",
            "help",
            new Customer("c1", "Li", "standard"),
            10,
            [],
            new Dictionary<string, string>(),
            "hi"
        );

        var created = ConversationLifecycle.Create("x", request, 1, T0, SelfServiceModes.BotFirst);
        var escalated = ConversationLifecycle.Escalate(created.Next, SelfServiceStep.AskedForPerson, T0.AddSeconds(40));
        var resolved = ConversationLifecycle.Resolve(created.Next, "kb-1", T0.AddSeconds(20));

        Assert.Equal(ConversationState.SelfService, created.Next.State);
        Assert.Null(created.Next.WaitingSince);
        Assert.Equal([ConversationState.Created, ConversationState.SelfService], created.Transitions.Select(t => t.State));
        Assert.Equal((ConversationState.Queued, T0.AddSeconds(40)), (escalated.Next.State, escalated.Next.WaitStart));
        Assert.Equal(SelfServiceStep.AskedForPerson, escalated.Transitions.Single().Reason);
        Assert.Equal(
            (ConversationState.Resolved, "kb-1", T0.AddSeconds(20)),
            (resolved.Next.State, resolved.Next.Disposition, resolved.Next.EndedAt)
        );
        Assert.True(resolved.Next.State.IsFinal());
        Assert.Equal(
            "not-in-self-service",
            Assert.Throws<RoutingException>(() => ConversationLifecycle.Escalate(escalated.Next, "again", T0)).Code
        );
        Assert.Equal(T0, ConversationLifecycle.Create("y", request, 2, T0).Next.WaitStart); // no step: waiting from creation
    }

    private static KnowledgeHit Hit(string id, double coverage) =>
        new(new KnowledgeArticle(id, $"Title {id}", [], $"Answer {id}", null, "en", [], true, 1, T0, null), (float)coverage, coverage);
}
