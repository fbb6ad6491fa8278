namespace Routing.Contracts.Access;

/// <summary>
/// One API key of a workspace, keyed <c>{workspace}/{keyId}</c>. The key's secret is never stored: only its
/// SHA-256 (a random 256-bit secret needs no slow hash). Every request checks the key here, so a revoked key
/// stops working at once on every silo.
/// </summary>
[Alias("routing.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Stores a new key; refused if the id is taken.</summary>
    [Alias("Create")]
    Task<ApiKeyView> CreateAsync(string name, byte[] secretHash);

    /// <summary>The key, or null when there is none.</summary>
    [Alias("Get")]
    Task<ApiKeyView?> GetAsync();

    /// <summary>True when the key exists, is not revoked and the secret's hash matches.</summary>
    [Alias("Verify")]
    Task<bool> VerifyAsync(byte[] secretHash);

    [Alias("Revoke")]
    Task<ApiKeyView> RevokeAsync();
}

[GenerateSerializer, Immutable, Alias("routing.ApiKeyView")]
public sealed record ApiKeyView(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset? RevokedAt
);
