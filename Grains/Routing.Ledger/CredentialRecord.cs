namespace Routing.Ledger;

/// <summary>
/// A stored credential of a workspace: a built-in account or an API key, keyed by (workspace, kind, id). Its
/// <see cref="Data"/> is the owning grain's JSON — password and key hashes only, never a secret itself.
/// </summary>
public sealed record CredentialRecord(string Kind, string Id, string Data, DateTimeOffset UpdatedAt)
{
    public const string Account = "account";

    public const string ApiKey = "api-key";
}
