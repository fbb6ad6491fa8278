using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Routing.LoadTests.Targets;

/// <summary>
/// The admin's bearer token an end-to-end run drives the server with: it defines queues and agents, creates and
/// abandons conversations, and acts for every agent on <c>/hubs/agent</c>. The server the tool starts gets a
/// first admin and is signed in to (<see cref="SignInAsync"/>); a <c>--server</c> takes <c>--token</c>, or, without
/// it, the server's Development sign-in when it has one (<see cref="ForServerAsync"/>).
/// </summary>
public static class AdminToken
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A client for the sign-in calls, on <paramref name="server"/>.</summary>
    public static HttpClient Client(Uri server) => new() { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Signs in with a built-in account (<c>POST /api/auth/token</c>).</summary>
    public static async Task<string> SignInAsync(
        HttpClient http,
        string workspace,
        string userName,
        string password,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.PostAsJsonAsync(
            "/api/auth/token",
            new
            {
                workspace,
                userName,
                password,
            },
            Json,
            cancellationToken
        );
        if (!response.IsSuccessStatusCode)
        {
            throw new LoadSetupException(
                $"Signing in as '{userName}' of workspace '{workspace}' at {http.BaseAddress} failed: "
                    + $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}"
            );
        }
        return await TokenOf(response, cancellationToken);
    }

    /// <summary>
    /// <paramref name="token"/> (from <c>--token</c>) once the server has said it is an admin's; without one, the
    /// server's Development sign-in. Anything else fails at once with what to do, before the run sets anything up.
    /// </summary>
    public static async Task<string> ForServerAsync(HttpClient http, string? token, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(log);
        var server = http.BaseAddress;
        if (token is null)
        {
            using var response = await http.PostAsJsonAsync("/api/auth/dev-token", new { role = "admin" }, Json, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                // Outside Development the route does not exist: 404, or 401 where the fallback policy wants a credential first.
                throw new LoadSetupException(
                    $"{server} has no Development sign-in (POST /api/auth/dev-token answered {(int)response.StatusCode}): pass an "
                        + $"admin's bearer token with --token. "
                        + "Get one by signing in as an admin, e.g. the first admin (Routing:Auth:FirstAdmin): "
                        + $"TOKEN=$(curl -sf -X POST {new Uri(server!, "/api/auth/token")} -H 'Content-Type: application/json' "
                        + "-d '{\"workspace\":\"default\",\"userName\":\"admin\",\"password\":\"…\"}' | jq -r .token), then --token "
                        + "\"$TOKEN\"."
                );
            }
            await log.WriteLineAsync($"signed in to {server} with its Development sign-in, as an admin of workspace 'default'");
            return await TokenOf(response, cancellationToken);
        }
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var answer = await http.SendAsync(me, cancellationToken);
        if (answer.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new LoadSetupException(
                $"{server} refused --token (401): it is expired, or not signed by this server's key or authority. "
                    + "Sign in again as an admin (POST /api/auth/token) and pass the new token."
            );
        }
        if (!answer.IsSuccessStatusCode)
        {
            throw new LoadSetupException(
                $"{server} answered GET /api/auth/me with {(int)answer.StatusCode} for --token: "
                    + $"{await answer.Content.ReadAsStringAsync(cancellationToken)}"
            );
        }
        using var caller = JsonDocument.Parse(await answer.Content.ReadAsStreamAsync(cancellationToken));
        var role = caller.RootElement.GetProperty("role").GetString();
        var workspace = caller.RootElement.GetProperty("workspace").GetString();
        if (role != "admin")
        {
            throw new LoadSetupException(
                $"--token is a {role}'s of workspace '{workspace}'; the load test defines queues and agents and acts for every agent, "
                    + $"which takes an admin's token."
            );
        }
        await log.WriteLineAsync($"driving {server} with --token, an admin of workspace '{workspace}'");
        return token;
    }

    private static async Task<string> TokenOf(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return body.RootElement.GetProperty("token").GetString() ?? throw new LoadSetupException("The sign-in answered no token.");
    }
}

/// <summary>A run that cannot start, for a reason the user can fix: the tool prints the message (no stack trace) and exits 2.</summary>
public sealed class LoadSetupException(string message) : Exception(message);
