using System.Threading.Channels;
using Routing.Client;
using Routing.Contracts;
using Routing.Contracts.Realtime;

namespace ConsoleDesk;

/// <summary>What the desk is started with (see <see cref="Parse"/> for the command line).</summary>
public sealed record DeskOptions(
    Uri Server,
    string Workspace,
    string UserName,
    string Password,
    string Greeting,
    bool Once,
    string? Disposition
)
{
    public const string Usage =
        "usage: ConsoleDesk --server URL --user NAME --password PASSWORD [--workspace default] [--greeting TEXT] "
        + "[--once [--disposition CODE]]";

    /// <summary>The command line as options; anything missing or unknown is an <see cref="ArgumentException"/> with the usage.</summary>
    public static DeskOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var once = false;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--once")
            {
                once = true;
            }
            else if (
                args[i] is "--server" or "--user" or "--password" or "--workspace" or "--greeting" or "--disposition"
                && i + 1 < args.Count
            )
            {
                values[args[i]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"'{args[i]}' is not understood.\n{Usage}");
            }
        }
        string Required(string name) => values.GetValueOrDefault(name) ?? throw new ArgumentException($"{name} is missing.\n{Usage}");
        return new DeskOptions(
            new Uri(Required("--server")),
            values.GetValueOrDefault("--workspace") ?? "default",
            Required("--user"),
            Required("--password"),
            values.GetValueOrDefault("--greeting") ?? "Hello, thank you for waiting. How can I help?",
            once,
            values.GetValueOrDefault("--disposition")
        );
    }
}

/// <summary>
/// A desk in a terminal, on the Routing.Client package: sign in, go Available, take each offer, greet the customer, then
/// talk — every line typed is sent, <c>/done [disposition]</c> completes the conversation, <c>/quit</c> goes Offline and
/// ends. With <c>--once</c> it takes one offer, greets and completes it, and ends: what the test suite runs.
/// </summary>
public static class TerminalDesk
{
    public static async Task<int> RunAsync(DeskOptions options, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);

        // 1. Sign in with the agent's account: a token naming the agent.
        using var http = new HttpClient { BaseAddress = options.Server };
        var token = await new SignInClient(http).SignInAsync(options.Workspace, options.UserName, options.Password, cancellationToken);
        if (token.AgentId is not { } agentId)
        {
            await output.WriteLineAsync($"{options.UserName} is a {token.Role}'s account, not an agent's.");
            return 2;
        }

        // 2. Connect to the agent hub. The connection reconnects on its own and resynchronises from the snapshot, so each
        //    conversation's messages arrive once and in order, whatever the network does.
        var realtime = new RealtimeOptions { Server = options.Server, AccessTokenProvider = () => Task.FromResult<string?>(token.Token) };
        await using var agent = new AgentConnection(realtime, agentId);
        var offers = Channel.CreateUnbounded<OfferNotice>();
        agent.OfferReceived += offer => offers.Writer.TryWrite(offer);
        agent.MessageReceived += (conversationId, message) =>
        {
            if (message.From != "agent")
            {
                output.WriteLine($"[{conversationId}] {message.From}: {message.Text}");
            }
        };
        agent.AssignmentChanged += (conversationId, state, reason) =>
            output.WriteLine($"[{conversationId}] {state}{(reason is null ? "" : $" ({reason})")}");
        await agent.StartAsync(cancellationToken);

        // 3. Available: the server offers conversations from the agent's queues.
        await agent.SetStatusAsync(AgentStatus.Available);
        await output.WriteLineAsync($"{agentId} is Available; waiting for an offer.");
        while (true)
        {
            var offer = await offers.Reader.ReadAsync(cancellationToken);
            var who = offer.CustomerName ?? "a customer";
            await output.WriteLineAsync(
                $"Offer: {who} ({offer.Tier}) on {offer.Channel} in queue {offer.QueueId}, waiting since {offer.WaitingSince:T}"
            );

            // 4. Take it. Another desk of the same agent, or the offer's deadline, may have been quicker.
            try
            {
                await agent.AcceptAsync(offer.ConversationId);
            }
            catch (RealtimeException e)
            {
                await output.WriteLineAsync($"Missed it: {e.Code}");
                continue;
            }
            var conversationId = offer.ConversationId;
            await agent.ResyncAsync(); // what the customer wrote before the accept, through MessageReceived

            // 5. Answer, then talk until done.
            await agent.SendMessageAsync(conversationId, options.Greeting);
            await output.WriteLineAsync($"[{conversationId}] you: {options.Greeting}");
            var quit = false;
            string? disposition = options.Disposition;
            while (!options.Once)
            {
                var line = await input.ReadLineAsync(cancellationToken);
                if (line is null || line == "/quit")
                {
                    quit = true;
                    break;
                }
                if (line.StartsWith("/done", StringComparison.Ordinal))
                {
                    disposition = line.Length > 5 ? line[5..].Trim() : null;
                    break;
                }
                if (line.Trim().Length > 0)
                {
                    await agent.SendMessageAsync(conversationId, line);
                }
            }

            // 6. Complete it, with a disposition code if the queue lists them.
            var completed = await agent.CompleteAsync(conversationId, string.IsNullOrEmpty(disposition) ? null : disposition);
            await output.WriteLineAsync($"[{conversationId}] completed ({completed.State})");
            if (options.Once || quit)
            {
                break;
            }
        }
        await agent.SetStatusAsync(AgentStatus.Offline);
        await output.WriteLineAsync($"{agentId} is Offline.");
        return 0;
    }
}
