using Microsoft.Extensions.Logging;
using Routing.Contracts;
using Routing.Grains.Agents;
using Routing.Grains.Conversations;
using Routing.Grains.Queues;

namespace Routing.Grains.Hosting;

/// <summary>
/// Every call into a conversation, agent or queue grain runs in a logging scope naming it — Workspace and
/// ConversationId, AgentId or QueueId — so whatever it logs, and whatever the calls it makes log, can be traced
/// to the thing it concerns without putting ids (let alone customers' data) in the messages.
/// </summary>
internal sealed class LogScopeFilter(ILoggerFactory loggers) : IIncomingGrainCallFilter
{
    private readonly ILogger _logger = loggers.CreateLogger("Routing.Grains");

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var name = context.Grain switch
        {
            ConversationGrain => "ConversationId",
            AgentGrain => "AgentId",
            QueueGrain => "QueueId",
            _ => null,
        };
        if (name is null)
        {
            await context.Invoke();
            return;
        }
        var (workspace, id) = GrainKeys.Parse(context.TargetId.Key.ToString()!);
        using (_logger.BeginScope(new Scope(workspace, name, id)))
        {
            await context.Invoke();
        }
    }

    /// <summary>The scope's properties, as structured logging providers read them.</summary>
    private sealed class Scope(string workspace, string name, string id) : IReadOnlyList<KeyValuePair<string, object>>
    {
        public int Count => 2;

        public KeyValuePair<string, object> this[int index] => index == 0 ? new("Workspace", workspace) : new(name, id);

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            yield return this[0];
            yield return this[1];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"{name}={workspace}/{id}";
    }
}
