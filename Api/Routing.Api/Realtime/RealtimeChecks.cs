using Routing.Api.Problems;
using Routing.Contracts;

namespace Routing.Api.Realtime;

/// <summary>The checks hub methods share with the REST handlers, with the same limits and codes.</summary>
internal static class RealtimeChecks
{
    public static void ConversationId(string? conversationId)
    {
        if (!RequestValidator.IsId(conversationId))
        {
            throw RoutingException.NotFound("conversation", conversationId ?? "", "conversationId");
        }
    }

    public static void Message(string? text, RoutingOptions options)
    {
        if (text is not null && text.Length > options.MaxMessageLength)
        {
            throw new RoutingException(
                RoutingErrorKind.TooLarge,
                "message-too-large",
                $"A message may hold at most {options.MaxMessageLength} characters.",
                "text"
            );
        }
        new RequestValidator().Text(text, "text", options.MaxMessageLength).ThrowIfInvalid(); // as POST /api/conversations/{id}/messages
    }
}
