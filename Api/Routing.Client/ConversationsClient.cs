using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Routing.Client;

/// <summary>What a channel integration sends to start a conversation (<c>POST /api/conversations</c>).</summary>
public sealed record NewConversation(
    string Channel,
    string QueueId,
    NewCustomer Customer,
    int? Priority = null,
    IReadOnlyList<NewSkillStep>? Skills = null,
    IReadOnlyDictionary<string, string>? Attributes = null,
    string? Message = null
);

/// <summary>The customer as the business knows it; <see cref="Tier"/> is standard (default), silver, gold or vip.</summary>
public sealed record NewCustomer(string Id, string? Name = null, string? Tier = null);

/// <summary>Minimum skill levels, for <see cref="Seconds"/> (null on the last step: for ever).</summary>
public sealed record NewSkillStep(IReadOnlyDictionary<string, int> Requirements, int? Seconds = null);

/// <summary>
/// A created conversation: its id, its state when answered, and the customer token its customer's connection
/// (<see cref="CustomerConnection"/>) goes by. <see cref="Replayed"/>: the server answered a retry with the first result.
/// </summary>
public sealed record CreatedConversation(string Id, string State, string? CustomerToken, bool Replayed);

/// <summary>
/// Creates conversations over REST the way a channel bridge should: every create carries an <c>Idempotency-Key</c>
/// (one it is given, or a fresh UUID), and a try that times out, loses its connection or is told to come back
/// (<c>503</c>/<c>429</c> with <c>Retry-After</c>) is tried again with the same key — so a retry never makes a
/// second conversation. The <see cref="HttpClient"/> carries the server's address and the credential.
/// </summary>
public sealed class ConversationsClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>How many times a create is tried in all (1: never retried).</summary>
    public int Attempts { get; init; } = 4;

    /// <summary>The wait before a retry when the server does not say (<c>Retry-After</c>); doubled each time.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    public async Task<CreatedConversation> CreateAsync(
        NewConversation conversation,
        string? idempotencyKey = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var key = idempotencyKey ?? Guid.NewGuid().ToString();
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/conversations")
            {
                Content = JsonContent.Create(conversation, options: Json),
            };
            request.Headers.Add("Idempotency-Key", key);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
                when (attempt < Attempts && !cancellationToken.IsCancellationRequested && e is HttpRequestException or TaskCanceledException
                )
            {
                // Lost on the way or timed out: the server may have made it, and the same key finds it if it did.
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                backoff *= 2;
                continue;
            }
            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken).ConfigureAwait(false);
                    return new CreatedConversation(
                        body.GetProperty("id").GetString()!,
                        body.GetProperty("state").GetString()!,
                        body.TryGetProperty("customerToken", out var token) ? token.GetString() : null,
                        response.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Contains("true")
                    );
                }
                if (attempt < Attempts && response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
                {
                    await Task.Delay(RetryAfter(response.Headers.RetryAfter) ?? backoff, cancellationToken).ConfigureAwait(false);
                    backoff *= 2;
                    continue;
                }
                throw await RoutingApiException.FromAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) =>
        header?.Delta ?? (header?.Date is { } at ? at - DateTimeOffset.UtcNow : null);
}
