using System.Net;
using Routing.Client;
using Routing.Contracts;
using Routing.Contracts.Access;
using Routing.Contracts.Realtime;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Realtime;

/// <summary>
/// Monitor, whisper and barge-in (docs/supervision.md) across two silos: the supervisor and the agent on one, the customer
/// on the other. The supervisor follows the conversation live; a whisper reaches the agent and never the customer; after
/// barging in the supervisor writes to both; every step is a note on the conversation, and the agent never sees the
/// silent monitor.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(TwoSiloCollection.Name)]
public sealed class SupervisionTests(TwoSiloCluster cluster)
{
    private readonly string _queue = "sup-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _agent = "sue-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task ASupervisorMonitorsWhispersToTheAgentAloneThenBargesInAndWritesToBoth()
    {
        var rest = cluster.B.CreateClient();
        await rest.Put($"/api/queues/{_queue}", new { name = "Supervision", wrapUpSeconds = new { chat = 0 } });
        await rest.Put($"/api/agents/{_agent}", new { name = "Sue", queues = new[] { new { queueId = _queue } } });
        await using var agent = new AgentConnection(cluster.A.RealtimeAs(TestTokens.Agent(_agent)), _agent);
        var offers = new EventLog<OfferNotice>();
        var agentHeard = new EventLog<TranscriptMessage>();
        var agentNotes = new EventLog<ConversationNote>();
        agent.OfferReceived += offers.Add;
        agent.MessageReceived += (_, m) => agentHeard.Add(m);
        agent.NoteReceived += (_, n) => agentNotes.Add(n);
        await agent.StartAsync();
        await agent.SetStatusAsync(AgentStatus.Available);
        var created = await (
            await rest.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = _queue,
                    customer = new { id = "c-s", name = "Mo" },
                }
            )
        ).Body();
        var (id, token) = (created.GetProperty("id").GetString()!, created.GetProperty("customerToken").GetString()!);
        await offers.WaitAsync(o => o.ConversationId == id);
        await agent.AcceptAsync(id);
        await using var customer = new CustomerConnection(cluster.B.Realtime, token);
        var customerHeard = new EventLog<TranscriptMessage>();
        var supervisorJoined = new EventLog<string>();
        customer.MessageReceived += customerHeard.Add;
        customer.SupervisorJoined += supervisorJoined.Add;
        await customer.StartAsync();

        await using var supervisor = new SupervisorConnection(cluster.A.RealtimeAs(TestTokens.Staff(StaffRoles.Supervisor)));
        var monitored = new EventLog<TranscriptMessage>();
        var notes = new EventLog<ConversationNote>();
        var changes = new EventLog<ConversationState>();
        supervisor.MonitoredMessage += (c, m) => monitored.Add(m);
        supervisor.MonitoredNote += (c, n) => notes.Add(n);
        supervisor.MonitoredChange += (c, state, _) => changes.Add(state);
        await supervisor.StartAsync();

        var view = await supervisor.MonitorAsync(id);
        Assert.Equal((ConversationState.Connected, _agent), (view.State, view.AgentId));
        Assert.Equal([ConversationNote.Monitor], view.Notes!.Select(n => n.Kind));

        // Live, read-only: both sides' messages reach the supervisor as they are written.
        await customer.SendMessageAsync("Where is my parcel?");
        Assert.Equal("Where is my parcel?", (await monitored.WaitAsync(m => m.From == "customer")).Text);
        await agent.SendMessageAsync(id, "Let me look.");
        Assert.Equal("Let me look.", (await monitored.WaitAsync(m => m.From == "agent")).Text);

        // Whisper: the agent and the monitors hear it; it is no message of the transcript.
        var writeFirst = await Assert.ThrowsAsync<RealtimeException>(() => supervisor.SendMessageAsync(id, "Hello"));
        Assert.Equal("not-joined", writeFirst.Code);
        var whisper = await supervisor.WhisperAsync(id, "Offer the express refund.");
        Assert.Equal((ConversationNote.Whisper, "supervisor", 2L), (whisper.Kind, whisper.By, whisper.Sequence));
        Assert.Equal("Offer the express refund.", (await agentNotes.WaitAsync(n => n.Kind == ConversationNote.Whisper)).Text);
        await notes.WaitAsync(n => n.Kind == ConversationNote.Whisper);

        // Barge-in: the customer is told who joined; then the supervisor writes to both sides.
        await supervisor.BargeInAsync(id);
        Assert.Equal("supervisor", await supervisorJoined.WaitAsync(_ => true));
        await agentNotes.WaitAsync(n => n.Kind == ConversationNote.BargeIn);
        var said = await supervisor.SendMessageAsync(id, "I have approved it.");
        Assert.Equal(("supervisor", "supervisor"), (said.From, said.AgentId));
        Assert.Equal("I have approved it.", (await customerHeard.WaitAsync(m => m.From == "supervisor")).Text);
        Assert.Equal("I have approved it.", (await agentHeard.WaitAsync(m => m.From == "supervisor")).Text);
        await monitored.WaitAsync(m => m.From == "supervisor");

        // The customer's transcript is whole and gap-free, with no trace of the whisper, live or resynchronised.
        Assert.Equal([1L, 2L, 3L], customer.Transcript.Select(m => m.Sequence));
        Assert.DoesNotContain(customer.Transcript, m => m.Text.Contains("express", StringComparison.Ordinal));
        Assert.Equal("supervisor", customer.Supervisor);
        Assert.DoesNotContain(agentNotes.Items, n => n.Kind == ConversationNote.Monitor); // monitoring is silent

        // On record: every step a note, in order; an agent reads all but the monitor, a customer none of them.
        var asSupervisor = await (await rest.GetAsync($"/api/conversations/{id}")).Body();
        Assert.Equal(
            ["monitor", "whisper", "barge-in"],
            asSupervisor.GetProperty("notes").EnumerateArray().Select(n => n.GetProperty("kind").GetString())
        );
        var asAgent = await (
            await cluster.B.CreateClient().WithToken(TestTokens.Agent(_agent)).GetAsync($"/api/conversations/{id}")
        ).Body();
        Assert.Equal(["whisper", "barge-in"], asAgent.GetProperty("notes").EnumerateArray().Select(n => n.GetProperty("kind").GetString()));

        await agent.CompleteAsync(id, null);
        await changes.WaitAsync(s => s == ConversationState.Completed);
        var rated = await cluster.B.CreateClient().WithToken(token).Post($"/api/conversations/{id}/rating", new { score = 4 });
        var ratedBody = await rated.Body();
        Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
        Assert.Empty(ratedBody.GetProperty("notes").EnumerateArray());
        Assert.DoesNotContain("express", ratedBody.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SupervisionStepsAreRefusedWhereTheyDoNotApplyAndChangeNothing()
    {
        var rest = cluster.A.CreateClient();
        await rest.Put($"/api/queues/{_queue}", new { name = "Supervision" });
        var waiting = (
            await (
                await rest.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId = _queue,
                        customer = new { id = "c-w" },
                    }
                )
            ).Body()
        ).GetProperty("id").GetString()!;

        var whisper = await rest.Post($"/api/conversations/{waiting}/whisper", new { text = "psst" });
        Assert.Equal(HttpStatusCode.Conflict, whisper.StatusCode);
        Assert.Equal("conversation-not-connected", (await whisper.Body()).GetProperty("code").GetString());
        var empty = await rest.Post($"/api/conversations/{waiting}/whisper", new { text = "" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var bargeIn = await rest.Post($"/api/conversations/{waiting}/barge-in");
        Assert.Equal(HttpStatusCode.Conflict, bargeIn.StatusCode);
        var asAgent = await cluster
            .A.CreateClient()
            .WithToken(TestTokens.Agent(_agent))
            .Post($"/api/conversations/{waiting}/whisper", new { text = "psst" });
        Assert.Equal(HttpStatusCode.Forbidden, asAgent.StatusCode);
        var unknown = await rest.Post("/api/conversations/no-such-one/monitor");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var after = await (await rest.GetAsync($"/api/conversations/{waiting}")).Body();
        Assert.Equal("Queued", after.GetProperty("state").GetString());
        Assert.Empty(after.GetProperty("notes").EnumerateArray());
        Assert.Empty(after.GetProperty("transcript").EnumerateArray());

        // A REST monitor records the look and answers the conversation whole.
        var looked = await (await rest.Post($"/api/conversations/{waiting}/monitor")).Body();
        Assert.Equal(["monitor"], looked.GetProperty("notes").EnumerateArray().Select(n => n.GetProperty("kind").GetString()));
    }
}
