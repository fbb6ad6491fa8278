namespace Routing.Contracts;

/// <summary>A validated request to start a conversation (docs/api.md, <c>POST /api/conversations</c>).</summary>
[GenerateSerializer, Immutable, Alias("routing.StartConversation")]
public sealed record StartConversation(
    string Channel,
    string QueueId,
    Customer Customer,
    int Priority,
    IReadOnlyList<SkillRequirementStep> Skills,
    IReadOnlyDictionary<string, string> Attributes,
    string? Message,
    string? RequestHash = null
)
{
    /// <summary>The most attributes a conversation carries: what a create accepts, and what a follow-up keeps.</summary>
    public const int MaxAttributes = 32;

    /// <summary>Without the first message (see <see cref="Customer"/>).</summary>
    public override string ToString() =>
        $"StartConversation {{ Channel = {Channel}, QueueId = {QueueId}, Customer = {Customer}, Priority = {Priority} }}";
}
