namespace Routing.Contracts.Access;

/// <summary>
/// A built-in account, keyed <c>{workspace}/{userName}</c>, for teams without an identity provider: a password
/// (stored only as ASP.NET Core Identity's hash), a role and, for agents, the agent it signs in as. Repeated
/// failed sign-ins lock it for a while — also for a name that has no account, so the answers do not tell which
/// names exist.
/// </summary>
[Alias("routing.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the account; a null password keeps the one set before (a new account needs one).</summary>
    [Alias("Set")]
    Task<AccountView> SetAsync(AccountSetup setup);

    /// <summary>The account, or null when there is none.</summary>
    [Alias("Get")]
    Task<AccountView?> GetAsync();

    /// <summary>Removes the account: it cannot sign in any more (tokens already issued run out on their own).</summary>
    [Alias("Remove")]
    Task RemoveAsync();

    /// <summary>Checks the password, counting failures; a locked account fails whatever the password.</summary>
    [Alias("SignIn")]
    Task<AccountSignIn> SignInAsync(string password);

    /// <summary>
    /// Whether a token issued at a sign-in with <paramref name="stamp"/> still speaks for the account: not once the
    /// account was removed or set again (a new password, role or agent).
    /// </summary>
    [Alias("IsCurrent"), Orleans.Concurrency.ReadOnly] // every request of the account's tokens asks: such checks run side by side
    Task<bool> IsCurrentAsync(string stamp);
}

[GenerateSerializer, Immutable, Alias("routing.AccountSetup")]
public sealed record AccountSetup([property: Id(0)] string Role, [property: Id(1)] string? AgentId, [property: Id(2)] string? Password)
{
    /// <summary>Never the password, wherever it is printed.</summary>
    public override string ToString() => $"AccountSetup {{ Role = {Role}, AgentId = {AgentId} }}";
}

[GenerateSerializer, Immutable, Alias("routing.AccountView")]
public sealed record AccountView(
    [property: Id(0)] string UserName,
    [property: Id(1)] string Role,
    [property: Id(2)] string? AgentId,
    [property: Id(3)] DateTimeOffset? LockedUntil,
    [property: Id(4)] DateTimeOffset UpdatedAt
);

[GenerateSerializer, Alias("routing.SignInOutcome")]
public enum SignInOutcome
{
    SignedIn = 0,
    Failed = 1,
    Locked = 2,
}

[GenerateSerializer, Immutable, Alias("routing.AccountSignIn")]
public sealed record AccountSignIn(
    [property: Id(0)] SignInOutcome Outcome,
    [property: Id(1)] string? Role,
    [property: Id(2)] string? AgentId,
    [property: Id(3)] DateTimeOffset? LockedUntil,
    [property: Id(4)] string? Stamp = null
);
