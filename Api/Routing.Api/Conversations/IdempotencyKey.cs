using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Routing.Api.Problems;

namespace Routing.Api.Conversations;

/// <summary>
/// An <c>Idempotency-Key</c> on a conversation create or chat start (docs/reliability.md, "Idempotent creates"): the
/// conversation's id is derived from the workspace, the endpoint and the key, so a retry reaches the same conversation
/// grain on any silo and after any restart, and the grain answers it with the first result. The request's fingerprint
/// is stored with the conversation, so the same key with a different request is told apart (422).
/// </summary>
public sealed record IdempotencyKey(string ConversationId, string RequestHash)
{
    public const string Header = "Idempotency-Key";

    /// <summary>Set on an answer that repeats an earlier create's result.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public const int MaxLength = 255;

    /// <summary>What a key may hold: visible ASCII (JSON Schema's dialect, for the OpenAPI document).</summary>
    public const string Pattern = "^[!-~]+$";

    /// <summary>
    /// The key of the request, if it carries one: null without a header, a 400 problem <c>invalid-idempotency-key</c>
    /// for one that is empty, too long or holds anything but visible ASCII.
    /// </summary>
    /// <remarks>Read from the request itself: binding would take an empty header for none, and several for one.</remarks>
    public static (IdempotencyKey? Key, BadRequestProblem? Problem) Read<TBody>(
        HttpRequest request,
        string workspace,
        string scope,
        TBody body
    )
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return (null, null);
        }
        var header = values.Count == 1 ? values[0] ?? "" : "";
        if (header.Length is 0 or > MaxLength || header.Any(c => c is < '!' or > '~'))
        {
            return (
                null,
                Problem.BadRequest(
                    "invalid-idempotency-key",
                    $"An Idempotency-Key is 1 to {MaxLength} visible ASCII characters, e.g. a random UUID made for each new conversation.",
                    Header
                )
            );
        }
        return (new IdempotencyKey(ConversationIdOf(workspace, scope, header), Fingerprint(body)), null);
    }

    /// <summary>
    /// A version-8 UUID (32 hex digits, like the ids minted without a key) from SHA-256 of workspace, scope and key:
    /// the same three always give the same id, and no one can aim a key at a conversation made without one.
    /// </summary>
    public static string ConversationIdOf(string workspace, string scope, string key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{workspace}\n{scope}\n{key}"), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8: made by its own rule
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // the RFC 9562 variant
        return new Guid(bytes, bigEndian: true).ToString("N");
    }

    /// <summary>SHA-256 of the request as it was bound (the JSON of its fields), in hex.</summary>
    public static string Fingerprint<TBody>(TBody body) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(body)));
}
