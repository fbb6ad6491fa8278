namespace Routing.Silo;

/// <summary>
/// Refuses grain calls sent from a silo the cluster has declared dead (docs/reliability.md, "The fault table", R3).
/// Orleans itself takes them: a silo frozen past its death and then resumed reaches the others for the moments before
/// it learns its fate and stops, and its stale activations — a queue's old line, a conversation's old offer — would
/// act through them, reserving agents and telling them of offers. Every outgoing call carries its silo's address;
/// every incoming one is checked against this silo's view of the membership. (What such a silo writes is refused by
/// the ledger's fence.)
/// </summary>
internal sealed partial class DeadSenderFilter(
    ILocalSiloDetails self,
    IClusterMembershipService membership,
    ILogger<DeadSenderFilter> logger
) : IOutgoingGrainCallFilter, IIncomingGrainCallFilter
{
    private const string Sender = "routing.sender";
    private readonly string _self = self.SiloAddress.ToParsableString();
    private volatile DeadSilos _dead = new(MembershipVersion.MinValue, []);

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (RequestContext.Get(Sender) as string != _self)
        {
            RequestContext.Set(Sender, _self); // set once per call chain on this silo: a set copies the context
        }
        return context.Invoke();
    }

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (RequestContext.Get(Sender) is string sender && sender != _self && Dead().Contains(sender))
        {
            LogRefused(logger, context.InterfaceName, context.MethodName, sender);
            throw new SiloUnavailableException($"Silo {sender}, which sent this call, has been declared dead: its calls are refused.");
        }
        return context.Invoke();
    }

    /// <summary>The dead silos of the latest membership snapshot, worked out again only when it changes.</summary>
    private HashSet<string> Dead()
    {
        var snapshot = membership.CurrentSnapshot;
        var dead = _dead;
        if (dead.Version != snapshot.Version)
        {
            _dead = dead = new DeadSilos(
                snapshot.Version,
                [.. snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress.ToParsableString())]
            );
        }
        return dead.Silos;
    }

    private sealed record DeadSilos(MembershipVersion Version, HashSet<string> Silos);

    [LoggerMessage(4001, LogLevel.Warning, "Refused {Interface}.{Method} from silo {Sender}: it was declared dead")]
    private static partial void LogRefused(ILogger logger, string @interface, string method, string sender);
}
