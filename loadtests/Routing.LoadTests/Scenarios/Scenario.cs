using System.Text.Json;
using System.Text.Json.Serialization;

namespace Routing.LoadTests.Scenarios;

/// <summary>
/// What a load run simulates: the agents and their skills and capacities, the queues, the customers' tier and
/// channel mix, the arrival curve with its midnight step, how long conversations take, how agents answer
/// offers and how patient customers are. Time is compressed: a "night" lasts seconds, conversations too.
/// </summary>
public sealed record Scenario
{
    public string Name { get; init; } = "singles-day";

    public int Seed { get; init; } = 1111;

    public int Agents { get; init; } = 2_000;

    /// <summary>Capacity of each agent per channel.</summary>
    public Dictionary<string, int> Capacity { get; init; } =
        new()
        {
            ["chat"] = 3,
            ["social"] = 2,
            ["email"] = 5,
        };

    public List<QueueSpec> Queues { get; init; } =
    [
        new("pre-sales", 0.35, "longest-idle", null),
        new("orders", 0.35, "least-occupied", null),
        new("returns", 0.2, "most-skilled", "returns"),
        new("vip-care", 0.1, "longest-idle", null),
    ];

    /// <summary>Shares of customer tiers (vip goes to vip-care when that queue exists).</summary>
    public Dictionary<string, double> TierMix { get; init; } =
        new()
        {
            ["standard"] = 0.7,
            ["silver"] = 0.15,
            ["gold"] = 0.1,
            ["vip"] = 0.05,
        };

    public Dictionary<string, double> ChannelMix { get; init; } =
        new()
        {
            ["chat"] = 0.8,
            ["social"] = 0.1,
            ["email"] = 0.1,
        };

    public ArrivalCurve Arrivals { get; init; } = new();

    /// <summary>Mean handle time (exponential, with the minimum below), seconds.</summary>
    public double HandleSecondsMean { get; init; } = 1.5;

    public double HandleSecondsMin { get; init; } = 0.2;

    /// <summary>Mean delay before an agent answers an offer (exponential), milliseconds.</summary>
    public double AcceptDelayMsMean { get; init; } = 20;

    /// <summary>Share of offers declined.</summary>
    public double DeclineRate { get; init; } = 0.02;

    /// <summary>Mean customer patience (exponential), seconds; 0 means customers never give up.</summary>
    public double PatienceSecondsMean { get; init; } = 60;

    public int OfferTimeoutSeconds { get; init; } = 15;

    public int ServiceLevelSeconds { get; init; } = 20;

    /// <summary>
    /// Share of chat and social arrivals the self-service step resolves (docs/self-service.md): their queues answer first with
    /// the knowledge base, and after <see cref="SelfServiceSecondsMean"/> this share of customers takes the answer, the rest
    /// ask for a person and wait from then. 0: no step, every arrival goes to the line. Email never takes the step.
    /// </summary>
    public double SelfServiceShare { get; init; } = 0.65;

    /// <summary>Mean time a customer reads the bot's answer before resolving or escalating (exponential, with the minimum below),
    /// seconds.</summary>
    public double SelfServiceSecondsMean { get; init; } = 3;

    public double SelfServiceSecondsMin { get; init; } = 0.3;

    /// <summary>
    /// Most conversations in flight (created, not ended) the generator allows before it holds back: a guard for the
    /// generator's own memory, far above what the server's door lets in.
    /// </summary>
    public int MaxInFlight { get; init; } = 200_000;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Scenario Preset(string name) =>
        name switch
        {
            "singles-day" => new Scenario(),
            // Arrivals above what the engine can route, agents enough to take all: the routing engine is the limit. No
            // self-service (here nor in the presets made from this one): a share the step absorbs would never reach the line,
            // and the routing engine's limit would be measured on a part of the arrivals only.
            "capacity" => new Scenario
            {
                Name = "capacity",
                SelfServiceShare = 0,
                Agents = 3_000,
                Arrivals = new ArrivalCurve
                {
                    BaseRatePerSecond = 30_000,
                    WarmupSeconds = 20,
                    PeakMultiplier = 1,
                    PeakSeconds = 0,
                    DecaySeconds = 0,
                    CooldownSeconds = 0,
                },
                HandleSecondsMean = 0.5,
                HandleSecondsMin = 0.1,
                AcceptDelayMsMean = 0,
                DeclineRate = 0,
                PatienceSecondsMean = 0,
            },
            // The capacity night with a tenfold step: the node's throughput before the step (offered a little more than it
            // can route) against its throughput under ten times that (docs/performance.md, "Overload").
            "overload" => Preset("capacity") with
            {
                Name = "overload",
                Arrivals = new ArrivalCurve
                {
                    BaseRatePerSecond = 2_500,
                    WarmupSeconds = 20,
                    PeakMultiplier = 10,
                    PeakSeconds = 20,
                    DecaySeconds = 0,
                    CooldownSeconds = 0,
                },
            },
            // Fault R8 (docs/reliability.md): ten times what the node routes for a whole minute, then the base rate again for
            // 30 s: memory stays bounded, callers are refused (503 + Retry-After) rather than timed out, routing recovers.
            "burst" => Preset("capacity") with
            {
                Name = "burst",
                Arrivals = new ArrivalCurve
                {
                    BaseRatePerSecond = 2_500,
                    WarmupSeconds = 20,
                    PeakMultiplier = 10,
                    PeakSeconds = 60,
                    DecaySeconds = 0,
                    CooldownSeconds = 30,
                },
            },
            // Every arrival into one queue, served by 5,000 agents: what one queue's activation can route, beside the
            // capacity night's four queues on the same node (docs/performance.md, "A hot queue").
            "hot-queue" => Preset("capacity") with { Name = "hot-queue", Agents = 5_000, Queues = [new("hot", 1.0, "longest-idle", null)] },
            "smoke" => new Scenario
            {
                Name = "smoke",
                Agents = 50,
                Arrivals = new ArrivalCurve
                {
                    BaseRatePerSecond = 20,
                    WarmupSeconds = 2,
                    PeakMultiplier = 5,
                    PeakSeconds = 1,
                    DecaySeconds = 1,
                    CooldownSeconds = 1,
                },
                HandleSecondsMean = 0.3,
                HandleSecondsMin = 0.05,
                SelfServiceSecondsMean = 1,
                SelfServiceSecondsMin = 0.1,
            },
            _ => throw new ArgumentException(
                $"Unknown scenario '{name}'; use singles-day, capacity, overload, hot-queue or smoke, or a file.",
                nameof(name)
            ),
        };

    public static Scenario Load(string nameOrFile) =>
        File.Exists(nameOrFile)
            ? JsonSerializer.Deserialize<Scenario>(File.ReadAllText(nameOrFile), Json)
                ?? throw new InvalidDataException($"{nameOrFile} holds no scenario.")
            : Preset(nameOrFile);
}

/// <summary>A queue of the scenario: its share of arrivals, selection method, and the skill its conversations ask for (relaxing after 5
/// s).</summary>
public sealed record QueueSpec(string Id, double Share, string Selection, string? Skill);

/// <summary>
/// Arrivals: a steady base rate, then at "midnight" a step to <see cref="PeakMultiplier"/> times it for
/// <see cref="PeakSeconds"/>, then a linear decay back to the base over <see cref="DecaySeconds"/>, then a
/// cool-down at the base rate.
/// </summary>
public sealed record ArrivalCurve
{
    public double BaseRatePerSecond { get; init; } = 300;

    public double WarmupSeconds { get; init; } = 10;

    public double PeakMultiplier { get; init; } = 10;

    public double PeakSeconds { get; init; } = 10;

    public double DecaySeconds { get; init; } = 10;

    public double CooldownSeconds { get; init; } = 10;

    [JsonIgnore]
    public double TotalSeconds => WarmupSeconds + PeakSeconds + DecaySeconds + CooldownSeconds;

    [JsonIgnore]
    public double MidnightSeconds => WarmupSeconds;

    public double RateAt(double t)
    {
        var peak = BaseRatePerSecond * PeakMultiplier;
        if (t < WarmupSeconds)
        {
            return BaseRatePerSecond;
        }
        if (t < WarmupSeconds + PeakSeconds)
        {
            return peak;
        }
        if (t < WarmupSeconds + PeakSeconds + DecaySeconds)
        {
            var f = (t - WarmupSeconds - PeakSeconds) / DecaySeconds;
            return peak + ((BaseRatePerSecond - peak) * f);
        }
        return t < TotalSeconds ? BaseRatePerSecond : 0;
    }

    /// <summary>How many conversations should have arrived by <paramref name="t"/> (the integral of the rate).</summary>
    public double ArrivedBy(double t)
    {
        // Piecewise linear rate: integrate exactly segment by segment.
        double Area(double from, double to) => from >= to ? 0 : (RateAt(from) + RateAt(Math.Max(from, to - 1e-9))) / 2 * (to - from);
        var edges = new[] { 0, WarmupSeconds, WarmupSeconds + PeakSeconds, WarmupSeconds + PeakSeconds + DecaySeconds, TotalSeconds };
        var total = 0.0;
        for (var i = 0; i < edges.Length - 1; i++)
        {
            total += Area(edges[i], Math.Min(t, edges[i + 1]));
            if (t <= edges[i + 1])
            {
                break;
            }
        }
        return total;
    }
}
