using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>
/// A silo with as many creates in progress as its door takes refuses the next one at once — 503 <c>overloaded</c>
/// with <c>Retry-After</c> — and changes nothing; once a place is free, creates go through again
/// (docs/performance.md, "Overload").
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OverloadTests(ApiFactory api)
{
    [Fact]
    public async Task ACreatePastTheDoorsLimitIsRefusedWithRetryAfterAndChangesNothing()
    {
        var http = api.CreateClient();
        var queue = $"door-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await http.Put($"/api/queues/{queue}", new { name = "Door" })).StatusCode);
        var door = api.Services.GetRequiredService<AdmissionGate>();
        var request = new
        {
            channel = "chat",
            queueId = queue,
            customer = new
            {
                id = "c-door",
                name = "Wang Fang",
                tier = "standard",
            },
        };

        var taken = TakeEveryPlace(door);
        HttpResponseMessage refused,
            chat;
        try
        {
            refused = await http.Post("/api/conversations", request);
            chat = await api.CreateClient()
                .WithToken(null)
                .Post(
                    "/api/chat/conversations",
                    new
                    {
                        topicId = queue,
                        name = "Wang Fang",
                        message = "hi",
                    }
                );
        }
        finally
        {
            taken.ForEach(t => t.Dispose());
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("overloaded", (await refused.Body()).GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, chat.StatusCode);
        Assert.Equal("overloaded", (await chat.Body()).GetProperty("code").GetString());
        var stats = await (await http.GetAsync($"/api/queues/{queue}/stats")).Body();
        Assert.Equal(0, stats.GetProperty("waiting").GetInt32());

        var metrics = await (await http.GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Matches(@"(?m)^routing_admission_refused_total [1-9]", metrics); // the operators see the door refusing

        var created = await http.Post("/api/conversations", request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(0, door.InFlight);
    }

    private static List<AdmissionGate.Admission> TakeEveryPlace(AdmissionGate door)
    {
        var taken = new List<AdmissionGate.Admission>();
        for (var admission = door.TryEnter(); admission.Admitted; admission = door.TryEnter())
        {
            taken.Add(admission);
        }
        return taken;
    }
}
