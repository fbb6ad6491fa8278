using System.Security.Cryptography;
using System.Text.Json;
using Routing.Contracts;
using Routing.Contracts.Access;
using Routing.Ledger;

namespace Routing.Grains.Access;

/// <summary>One API key: its name, its secret's hash and whether it was revoked, as the ledger holds them.</summary>
public sealed class ApiKeyGrain(ILedger ledger, RoutingClock clock) : Grain, IApiKeyGrain
{
    private string _workspace = "";
    private string _keyId = "";
    private ApiKeyState? _key;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_workspace, _keyId) = GrainKeys.Parse(this.GetPrimaryKeyString());
        var stored = await ledger.GetCredentialAsync(_workspace, CredentialRecord.ApiKey, _keyId, cancellationToken);
        _key = stored is null ? null : JsonSerializer.Deserialize<ApiKeyState>(stored.Data, AccessJson.Options);
    }

    public async Task<ApiKeyView> CreateAsync(string name, byte[] secretHash)
    {
        ArgumentNullException.ThrowIfNull(secretHash);
        if (_key is not null)
        {
            throw RoutingException.Conflict("api-key-exists", $"API key '{_keyId}' exists already.", "keyId");
        }
        var key = new ApiKeyState(name, secretHash, clock.UtcNow, null);
        await SaveAsync(key);
        return View(key);
    }

    public Task<ApiKeyView?> GetAsync() => Task.FromResult(_key is null ? null : View(_key));

    public Task<bool> VerifyAsync(byte[] secretHash) =>
        Task.FromResult(
            _key is { RevokedAt: null } key && secretHash is not null && CryptographicOperations.FixedTimeEquals(key.SecretHash, secretHash)
        );

    public async Task<ApiKeyView> RevokeAsync()
    {
        if (_key is null)
        {
            throw RoutingException.NotFound("api-key", _keyId, "keyId");
        }
        if (_key.RevokedAt is null)
        {
            // stored first: a failed write leaves it unrevoked, and a retry writes again
            await SaveAsync(_key with { RevokedAt = clock.UtcNow });
        }
        return View(_key);
    }

    private async Task SaveAsync(ApiKeyState key)
    {
        await ledger.SaveCredentialAsync(
            _workspace,
            new CredentialRecord(CredentialRecord.ApiKey, _keyId, JsonSerializer.Serialize(key, AccessJson.Options), clock.UtcNow)
        );
        _key = key;
    }

    private ApiKeyView View(ApiKeyState key) => key.View(_keyId);
}
