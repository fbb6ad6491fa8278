using System.Net.Http.Json;
using System.Text.Json;

namespace Routing.Client;

/// <summary>
/// A staff member's token: for whom (<see cref="Role"/> and, for an agent, <see cref="AgentId"/>), in which workspace,
/// until when. An agent's desk connects with it (<see cref="RealtimeOptions.AccessTokenProvider"/>).
/// </summary>
public sealed record StaffToken(string Token, DateTimeOffset ExpiresAt, string Workspace, string Role, string? AgentId);

/// <summary>
/// Signs a built-in account in (<c>POST /api/auth/token</c>, docs/security.md). Teams with an identity provider get their
/// tokens from it instead. The <see cref="HttpClient"/> carries the server's address.
/// </summary>
public sealed class SignInClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The account's token; a wrong name or password (or a locked account) is a <see cref="RoutingApiException"/>.</summary>
    public async Task<StaffToken> SignInAsync(
        string workspace,
        string userName,
        string password,
        CancellationToken cancellationToken = default
    )
    {
        using var response = await http.PostAsJsonAsync(
                "api/auth/token",
                new
                {
                    workspace,
                    userName,
                    password,
                },
                Json,
                cancellationToken
            )
            .ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await RoutingApiException.FromAsync(response, cancellationToken).ConfigureAwait(false);
        }
        return (await response.Content.ReadFromJsonAsync<StaffToken>(Json, cancellationToken).ConfigureAwait(false))!;
    }
}
