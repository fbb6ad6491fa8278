namespace Routing.Contracts;

/// <summary>
/// The routing rules a deployment may tune, bound from the <c>Routing</c> configuration section. Every
/// default is the one docs/operations.md, "Configuration", gives.
/// </summary>
public sealed class RoutingOptions
{
    /// <summary>The channels and an agent's default capacity on each. Default chat 3, social 3, email 5, voice 1;
    /// setting any channel in configuration replaces the whole set.</summary>
    public Dictionary<string, int> Channels { get; set; } = [];

    /// <summary>Base priority of each customer tier. Default standard 10, silver 20, gold 30, vip 50.</summary>
    public Dictionary<string, int> TierPriorities { get; set; } = [];

    /// <summary>Channels that keep a transcript. Default chat and social.</summary>
    public List<string> TranscriptChannels { get; set; } = [];

    /// <summary>Missed offers in a row after which an agent is set Away with reason <c>missed-offers</c>. Default 2.</summary>
    public int MissedOffersBeforeAway { get; set; } = 2;

    /// <summary>The longest transcript message, in characters. Default 4,000.</summary>
    public int MaxMessageLength { get; set; } = 4_000;

    /// <summary>The most messages one transcript may hold. Default 1,000.</summary>
    public int MaxTranscriptMessages { get; set; } = 1_000;

    /// <summary>How far back the answer rate for estimated waits looks, in seconds. Default 300.</summary>
    public int WaitEstimateWindowSeconds { get; set; } = 300;

    /// <summary>The window of the live queue statistics, in seconds. Default 900 (15 minutes).</summary>
    public int StatisticsWindowSeconds { get; set; } = 900;

    /// <summary>How often each queue checks its line against the ledger (docs/reliability.md), in seconds. Default 30.</summary>
    public int LineCheckSeconds { get; set; } = 30;

    /// <summary>
    /// How long a conversation may stay in the self-service step with nothing written — by the customer or the assistant —
    /// before it ends (docs/self-service.md, "Idle conversations"), in seconds. Default 600 (10 minutes). Each queue's line
    /// check looks for them, so one ends up to <see cref="LineCheckSeconds"/> later.
    /// </summary>
    public int SelfServiceIdleSeconds { get; set; } = 600;

    public static IReadOnlyDictionary<string, int> DefaultChannels { get; } =
        new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["chat"] = 3,
            ["social"] = 3,
            ["email"] = 5,
            ["voice"] = 1,
        };

    public static IReadOnlyDictionary<string, int> DefaultTierPriorities { get; } =
        new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["standard"] = 10,
            ["silver"] = 20,
            ["gold"] = 30,
            ["vip"] = 50,
        };

    /// <summary>Fills every setting left empty with its default. Called once after binding.</summary>
    public RoutingOptions WithDefaults()
    {
        if (Channels.Count == 0)
        {
            Channels = new Dictionary<string, int>(DefaultChannels, StringComparer.Ordinal);
        }
        if (TierPriorities.Count == 0)
        {
            TierPriorities = new Dictionary<string, int>(DefaultTierPriorities, StringComparer.Ordinal);
        }
        if (TranscriptChannels.Count == 0)
        {
            TranscriptChannels = ["chat", "social"];
        }
        return this;
    }

    /// <summary>The base priority of a tier, or null for a tier that is not configured.</summary>
    public int? PriorityOf(string tier) => TierPriorities.TryGetValue(tier, out var p) ? p : null;

    public bool KeepsTranscript(string channel) => TranscriptChannels.Contains(channel, StringComparer.Ordinal);

    /// <summary>What is wrong with the settings (after <see cref="WithDefaults"/>), each naming its key; empty when they are
    /// sound.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (channel, capacity) in Channels)
        {
            if (capacity is < 0 or > 1000)
            {
                yield return $"Routing:Channels:{channel} must be between 0 and 1000 (an agent's default capacity on the channel), not "
                    + $"{capacity}.";
            }
        }
        foreach (var (tier, priority) in TierPriorities)
        {
            if (priority is < 0 or > 1_000_000)
            {
                yield return $"Routing:TierPriorities:{tier} must be between 0 and 1000000, not {priority}.";
            }
        }
        foreach (var channel in TranscriptChannels.Where(c => !Channels.ContainsKey(c)))
        {
            yield return $"Routing:TranscriptChannels names '{channel}', which is not one of Routing:Channels.";
        }
        if (MissedOffersBeforeAway < 1)
        {
            yield return "Routing:MissedOffersBeforeAway must be at least 1.";
        }
        if (MaxMessageLength is < 1 or > 100_000)
        {
            yield return "Routing:MaxMessageLength must be between 1 and 100000.";
        }
        if (MaxTranscriptMessages < 1)
        {
            yield return "Routing:MaxTranscriptMessages must be at least 1.";
        }
        if (WaitEstimateWindowSeconds < 1)
        {
            yield return "Routing:WaitEstimateWindowSeconds must be at least 1.";
        }
        if (StatisticsWindowSeconds < 60)
        {
            yield return "Routing:StatisticsWindowSeconds must be at least 60.";
        }
        if (LineCheckSeconds is < 1 or > 3600)
        {
            yield return "Routing:LineCheckSeconds must be between 1 and 3600.";
        }
        if (SelfServiceIdleSeconds is < 60 or > 86_400)
        {
            yield return "Routing:SelfServiceIdleSeconds must be between 60 and 86400.";
        }
    }
}
