using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Routing.Contracts;
using Routing.Contracts.Access;
using Routing.Ledger;

namespace Routing.Grains.Access;

/// <summary>How many failed sign-ins in a row lock an account, and for how long (<c>Routing:Auth:Lockout</c>).</summary>
public sealed class LockoutOptions
{
    public int MaxFailures { get; set; } = 5;

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// A built-in account: the password hash, role and agent, and the count of failed sign-ins, all stored in the
/// ledger so a lock holds across silos and restarts. A name without an account counts failures in memory only.
/// </summary>
public sealed class AccountGrain(ILedger ledger, RoutingClock clock, IOptions<LockoutOptions> lockout) : Grain, IAccountGrain
{
    private static readonly PasswordHasher<string> Hasher = new();

    private string _workspace = "";
    private string _userName = "";
    private AccountState? _account;
    private int _failuresWithoutAccount;
    private DateTimeOffset? _lockedWithoutAccount;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_workspace, _userName) = GrainKeys.Parse(this.GetPrimaryKeyString());
        var stored = await ledger.GetCredentialAsync(_workspace, CredentialRecord.Account, _userName, cancellationToken);
        _account = stored is null ? null : JsonSerializer.Deserialize<AccountState>(stored.Data, AccessJson.Options);
    }

    public async Task<AccountView> SetAsync(AccountSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (!StaffRoles.IsStaff(setup.Role))
        {
            throw RoutingException.Invalid("role", "'role' must be admin, supervisor or agent.", "unknown-role");
        }
        if ((setup.Role == StaffRoles.Agent) != (setup.AgentId is not null))
        {
            throw RoutingException.Invalid(
                "agentId",
                "An agent's account names its agent ('agentId'); other roles do not.",
                "agent-id-for-role"
            );
        }
        if (setup.Password is null && _account is null)
        {
            throw RoutingException.Invalid("password", "A new account needs a password.", "password-required");
        }
        var hash = setup.Password is { } password ? Hasher.HashPassword(_userName, password) : _account!.PasswordHash;
        var account = new AccountState(setup.Role, setup.AgentId, hash, 0, null, clock.UtcNow, Guid.NewGuid().ToString("N"));
        await SaveAsync(account);
        return View(account);
    }

    public Task<bool> IsCurrentAsync(string stamp) =>
        Task.FromResult(_account is { } account && stamp is not null && string.Equals(account.Stamp, stamp, StringComparison.Ordinal));

    public Task<AccountView?> GetAsync() => Task.FromResult(_account is null ? null : View(_account));

    public async Task RemoveAsync()
    {
        if (_account is null)
        {
            throw RoutingException.NotFound("account", _userName, "userName");
        }
        await ledger.SaveCredentialAsync(_workspace, new CredentialRecord(CredentialRecord.Account, _userName, "null", clock.UtcNow));
        _account = null;
    }

    public async Task<AccountSignIn> SignInAsync(string password)
    {
        var now = clock.UtcNow;
        if (_account is null)
        {
            // Hash anyway: an unknown name costs as much time as a wrong password.
            Hasher.VerifyHashedPassword(_userName, UnknownAccountHash, password ?? "");
            if (_lockedWithoutAccount > now)
            {
                return new AccountSignIn(SignInOutcome.Locked, null, null, _lockedWithoutAccount);
            }
            if (++_failuresWithoutAccount >= MaxFailures)
            {
                (_failuresWithoutAccount, _lockedWithoutAccount) = (0, now + lockout.Value.Duration);
                return new AccountSignIn(SignInOutcome.Locked, null, null, _lockedWithoutAccount);
            }
            return new AccountSignIn(SignInOutcome.Failed, null, null, null);
        }
        var account = _account;
        if (account.LockedUntil > now)
        {
            return new AccountSignIn(SignInOutcome.Locked, null, null, account.LockedUntil);
        }
        var verified = Hasher.VerifyHashedPassword(_userName, account.PasswordHash, password ?? "");
        if (verified == PasswordVerificationResult.Failed)
        {
            var failures = account.FailedSignIns + 1;
            var locked = failures >= MaxFailures;
            await SaveAsync(
                account with
                {
                    FailedSignIns = locked ? 0 : failures,
                    LockedUntil = locked ? now + lockout.Value.Duration : null,
                }
            );
            return locked
                ? new AccountSignIn(SignInOutcome.Locked, null, null, _account!.LockedUntil)
                : new AccountSignIn(SignInOutcome.Failed, null, null, null);
        }
        if (verified == PasswordVerificationResult.SuccessRehashNeeded || account.FailedSignIns > 0 || account.LockedUntil is not null)
        {
            var rehashed =
                verified == PasswordVerificationResult.SuccessRehashNeeded
                    ? Hasher.HashPassword(_userName, password!)
                    : account.PasswordHash;
            await SaveAsync(account with { PasswordHash = rehashed, FailedSignIns = 0, LockedUntil = null });
        }
        return new AccountSignIn(SignInOutcome.SignedIn, account.Role, account.AgentId, null, account.Stamp);
    }

    private int MaxFailures => Math.Max(lockout.Value.MaxFailures, 1);

    private async Task SaveAsync(AccountState account)
    {
        var data = JsonSerializer.Serialize(account, AccessJson.Options);
        await ledger.SaveCredentialAsync(_workspace, new CredentialRecord(CredentialRecord.Account, _userName, data, clock.UtcNow));
        _account = account;
    }

    private AccountView View(AccountState account) => account.View(_userName, clock.UtcNow);

    private static readonly string UnknownAccountHash = Hasher.HashPassword(
        "",
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))
    );
}

/// <summary>What the ledger keeps of an account: never the password, only its hash; <see cref="Stamp"/> changes whenever the account is
/// set, ending the tokens issued before.</summary>
internal sealed record AccountState(
    string Role,
    string? AgentId,
    string PasswordHash,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    DateTimeOffset UpdatedAt,
    string Stamp
)
{
    /// <summary>What anyone may see of the account: never its hash or stamp; a lock only while it lasts.</summary>
    public AccountView View(string userName, DateTimeOffset now) =>
        new(userName, Role, AgentId, LockedUntil > now ? LockedUntil : null, UpdatedAt);
}

/// <summary>What the ledger keeps of an API key: its secret's SHA-256, never the secret.</summary>
internal sealed record ApiKeyState(string Name, byte[] SecretHash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public ApiKeyView View(string keyId) => new(keyId, Name, CreatedAt, RevokedAt);
}

internal static class AccessJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
