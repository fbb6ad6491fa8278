using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Routing.Tests.Infrastructure;

/// <summary>
/// Creators sending a steady trickle of chat creates into queue <c>care</c>, each with its own idempotency key, tried
/// again with that key after the <c>Retry-After</c> of a 503 until it is created. Every try's answer is kept
/// (the load of <c>DatabaseOutageTests</c>).
/// </summary>
public sealed class CreateLoad(HttpClient http)
{
    /// <summary>One answer to one try of a create: when it was sent and answered (<see cref="Stopwatch"/> timestamps), and what it
    /// said.</summary>
    public sealed record Answer(long Started, long Ended, HttpStatusCode Status, string? Code, bool RetryAfter);

    public EventLog<Answer> Answers { get; } = new();

    public ConcurrentQueue<string> Created { get; } = new();

    public async Task RunAsync(int creator, int creators, CancellationToken stop)
    {
        for (var n = creator; !stop.IsCancellationRequested; n += creators)
        {
            var key = Guid.NewGuid().ToString();
            while (true)
            {
                var (answer, id, wait) = await TryAsync(n, key);
                if (id is not null)
                {
                    Created.Enqueue(id);
                }
                Answers.Add(answer);
                if (answer.Status != HttpStatusCode.ServiceUnavailable)
                {
                    break;
                }
                await Task.Delay(wait);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100)); // a steady trickle, not a flood
        }
    }

    private async Task<(Answer Answer, string? Id, TimeSpan Wait)> TryAsync(int n, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/conversations")
        {
            Content = System.Net.Http.Json.JsonContent.Create(
                new
                {
                    channel = "chat",
                    queueId = "care",
                    customer = new { id = $"c-{n}", name = $"Customer {n}" },
                }
            ),
        };
        request.Headers.Add("Idempotency-Key", key);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var json = body.Length > 0 && body[0] == '{' ? System.Text.Json.JsonDocument.Parse(body).RootElement : default;
            string? Text(string name) =>
                json.ValueKind == System.Text.Json.JsonValueKind.Object && json.TryGetProperty(name, out var v) ? v.GetString() : null;
            var wait = response.Headers.RetryAfter?.Delta;
            return (
                new Answer(started, Stopwatch.GetTimestamp(), response.StatusCode, Text("code"), wait is not null),
                response.StatusCode == HttpStatusCode.Created ? Text("id") : null,
                wait ?? TimeSpan.FromSeconds(1)
            );
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (new Answer(started, Stopwatch.GetTimestamp(), 0, e.GetType().Name, false), null, TimeSpan.Zero);
        }
    }
}
